// Types of harness.mjs, for test/playground.test.ts.
import type { Browser, Page } from 'puppeteer-core';

export interface Playground {
  url: string;
  close(): void;
}

export function startPlayground(): Promise<Playground>;
export function launchChromium(viewport?: { width?: number; height?: number }): Promise<Browser>;
export function openPlayground(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }>;
export function slotSelector(run: string, layer: string, slot: string, inner: string): string;
export function chooseRegularizer(
  page: Page,
  run: string,
  layer: string,
  slot: string,
  kind: string,
  factors?: Record<string, string>,
): Promise<void>;
export function typeFactor(
  page: Page,
  run: string,
  layer: string,
  slot: string,
  name: string,
  text: string,
): Promise<void>;
export function trainSteps(page: Page, steps: number, timeout?: number): Promise<void>;
export function exportKeras(page: Page, run: string): Promise<Uint8Array>;
