import type { Feature } from '../../platform/feature.js';
import { noteRoutes } from './routes.js';

export const notesFeature: Feature = { name: 'notes', routes: [{ plugin: noteRoutes }] };
