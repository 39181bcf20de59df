import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist by `npm install` (the root's prepare script); the server serves it at /.
// `npm run dev --workspace @taskgate/web` proxies the API to a server on :8080.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
