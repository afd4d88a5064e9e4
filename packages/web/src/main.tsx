/**
 * @module
 * Entry point of the web UI.
 */
import '@patternfly/react-core/dist/styles/base.css';
import { createRoot } from 'react-dom/client';

import { App } from './app/App.tsx';
import { followSystemTheme } from './app/theme.ts';

followSystemTheme(window);
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
