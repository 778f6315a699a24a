import 'dockview-react/dist/styles/dockview.css';
import './ui/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, LinkUnavailable } from './App.tsx';
import { createEngineLink } from './link/create-link.ts';
import { startConnection } from './link/connection.ts';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root');
const choice = startConnection(createEngineLink);
createRoot(rootElement).render(<StrictMode>{choice.ok ? <App /> : <LinkUnavailable reason={choice.reason} />}</StrictMode>);
