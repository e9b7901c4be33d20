import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const page = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: page('.'),
  plugins: [react()],
  build: { rolldownOptions: { input: { main: page('index.html'), react: page('react.html') } } },
  server: { host: '127.0.0.1', port: 5173 },
});
