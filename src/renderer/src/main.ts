import { createApp } from 'vue'
import { z } from 'zod'
import App from './App.vue'
import './styles/app.css'

// zod compiles validators with `new Function` unless told not to; the CSP forbids eval.
z.config({ jitless: true })

createApp(App).mount('#app')
