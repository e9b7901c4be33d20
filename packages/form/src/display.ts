/**
 * Whether the form is showing. Inline forms always are; popups and slide-ins (`popup.ts`, a file of its own
 * in the script-tag build) open and close, and keep their dialog in step after each render.
 */
import { type Signal, signal } from '@preact/signals-core';
import type { DisplayConfig } from './config-schema.js';
import type { FormModel } from './model.js';

export interface Display {
  mode: 'inline' | 'popup' | 'slide-in';
  open: Signal<boolean>;
  /** Opened by a trigger rather than by the visitor: a slide-in then leaves focus where it is. */
  auto: boolean;
  show(auto?: boolean): void;
  hide(): void;
  dispose(): void;
  /** Runs after each render: shows or closes the dialog, moves focus on opening and closing. */
  afterRender(root: HTMLElement, model: FormModel, wasOpen: boolean): void;
}

/**
 * The popup and slide-in code: `createPopup` and the stylesheet it needs on top of the widget's. `open`
 * is made by the widget: a second copy of signals (in `leadkit.popup.js`) would not be tracked by its view.
 */
export interface PopupKit {
  createPopup(config: DisplayConfig, formId: string, host: Element, open: Signal<boolean>): Display;
  css: string;
}

/** Where a build gets the popup code: bundled (npm) or loaded next to the script (`leadkit.popup.js`). */
export type PopupSource = () => PopupKit | undefined | Promise<PopupKit | undefined>;

const nothing = () => {};

export const inlineDisplay = (): Display => ({
  mode: 'inline',
  open: signal(true),
  auto: false,
  show: nothing,
  hide: nothing,
  dispose: nothing,
  afterRender: nothing,
});
