/** node-postgres's result class (no declaration of its own): only what pg-rows.ts replaces. */
declare module 'pg/lib/result.js' {
  const Result: { prototype: { addFields: (...args: never[]) => void } };
  export default Result;
}
