import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { queryClient } from "./api/queryClient";
import { App } from "./App";
import { AuthProvider } from "./auth";
import { ready } from "./i18n";
import "./styles.css";

const root = document.getElementById("root");
// The first paint is in the person's language: its catalogues load before the app renders.
if (root) {
  void ready.finally(() =>
    createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
    ),
  );
}
