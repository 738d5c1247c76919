// @jsxRuntime automatic
export default function StockPage() {
  return null;
}
