/**
 * Whether the form is showing, and what frames it. Inline forms always show, in place; popups and
 * slide-ins (`popup.ts`, a file of its own in the script-tag build) open and close a dialog.
 */
import type { signal as createSignal, Signal } from '@preact/signals-core';
import { signal } from '@preact/signals-core';
import type { ComponentChildren, Fragment, h } from 'preact';
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
  /** The form (or confirmation) and the status region, framed: in place, or launcher and dialog. */
  frame(model: FormModel, content: ComponentChildren, status: ComponentChildren): ComponentChildren;
  /** Runs after each render: shows or closes the dialog, moves focus on opening and closing. */
  afterRender(root: HTMLElement, model: FormModel, wasOpen: boolean): void;
}

/** What the popup code borrows from the widget: its file then carries no second Preact or signals. */
export interface Runtime {
  h: typeof h;
  Fragment: typeof Fragment;
  signal: typeof createSignal;
}

/**
 * The popup and slide-in code: `createPopup` and the stylesheet it needs on top of the widget's. It
 * renders and makes signals with the widget's `runtime`: a second copy of signals (in `leadkit.popup.js`)
 * would not be tracked by the view.
 */
export interface PopupKit {
  createPopup(config: DisplayConfig, formId: string, host: Element, runtime: Runtime): Display;
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
  frame: (_model, content, status) => [content, status],
  afterRender: nothing,
});
