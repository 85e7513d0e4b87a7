import '@mantine/core/styles.css';
import './styles.css';
import { Anchor, createTheme, MantineProvider } from '@mantine/core';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { router } from './router';

const theme = createTheme({
  primaryColor: 'puente',
  primaryShade: 8,
  colors: {
    puente: ['#e8f0fb', '#cfdff5', '#9dbdeb', '#6899e1', '#3f7bd8', '#2767d3', '#1a5cd2', '#0d4cbb', '#0a43a7', '#003a94'],
  },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  components: {
    // Links inside text must not be told apart by colour alone.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <RouterProvider router={router} />
    </MantineProvider>
  </StrictMode>,
);
