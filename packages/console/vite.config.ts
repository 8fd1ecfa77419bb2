import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by pier-server from the same origin as the API; `npm run dev` proxies
// the API to a local pier-server so the session cookie stays same-origin.
const api = process.env.PIER_CONSOLE_API ?? 'http://127.0.0.1:8080';
const apiPaths = ['/auth', '/users', '/projects', '/invitations', '/oauth2', '/openapi.json', '/ref'];

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: api, changeOrigin: false }])) },
});
