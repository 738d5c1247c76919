// @jsxRuntime automatic
export default function ReceivePage() {
  return null;
}
