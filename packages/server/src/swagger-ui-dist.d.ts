declare module 'swagger-ui-dist/absolute-path.js' {
  /** The folder holding swagger-ui-dist's static files. */
  const getAbsoluteFSPath: () => string;
  export default getAbsoluteFSPath;
}
