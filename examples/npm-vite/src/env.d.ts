/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_LEADKIT_ENDPOINT?: string;
}
