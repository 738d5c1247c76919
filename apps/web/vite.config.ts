import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by the Tenon server at `/`; during `vite dev` the API is proxied to it. */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
