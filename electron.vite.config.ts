import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// Node-side entries share one build: the Electron main process, the browser-transport server
// (`npm run serve`), the headless CLI, the recipes and the training worker. Only `index` imports
// Electron; the others run on plain Node.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          serve: resolve('src/core/serve.ts'),
          cli: resolve('src/cli/main.ts'),
          worker: resolve('src/core/engine/worker.ts'),
          recipes: resolve('src/cli/recipes.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    resolve: { alias: { '@shared': resolve('src/shared') } },
    plugins: [vue()],
  },
})
