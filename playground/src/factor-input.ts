/**
 * A factor's slider and text field. The slider is logarithmic, 1e-6 to 10
 * in tenths of a decade, with 0 at its left end; the text field takes any
 * text, which the control hands on as typed.
 */

const DECADES_BELOW_ONE = 6;
const STEPS_PER_DECADE = 10;
/** Slider positions: 0 is a factor of 0, 1 is 1e-6, the last is 10. */
export const LAST_POSITION = (DECADES_BELOW_ONE + 1) * STEPS_PER_DECADE + 1;

/** Two significant digits: what the slider sets, so that configs and exports show round numbers. */
export function formatFactor(value: number): string {
  return String(Number(value.toPrecision(2)));
}

export function sliderToFactor(position: number): number {
  if (position <= 0) return 0;
  return Number((10 ** ((position - 1) / STEPS_PER_DECADE - DECADES_BELOW_ONE)).toPrecision(2));
}

export function factorToSlider(value: number): number {
  if (!(value > 0)) return 0;
  const position = Math.round((Math.log10(value) + DECADES_BELOW_ONE) * STEPS_PER_DECADE) + 1;
  return Math.max(1, Math.min(LAST_POSITION, position));
}

export interface FactorInput {
  element: HTMLElement;
  text: HTMLInputElement;
  slider: HTMLInputElement;
  /** Puts the slider where a value the control accepted lies; the text stays as typed. */
  showAccepted(value: number): void;
}

/**
 * `commit` receives the text when the slider moves or the text is entered
 * (Enter or leaving the field).
 */
export function factorInput(name: string, initial: number, commit: (text: string) => void): FactorInput {
  const element = document.createElement('label');
  element.className = 'factor';
  element.dataset.factor = name;
  const caption = document.createElement('span');
  caption.textContent = name;
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(LAST_POSITION);
  slider.step = '1';
  slider.value = String(factorToSlider(initial));
  slider.setAttribute('aria-label', `${name} (logarithmic slider)`);
  const text = document.createElement('input');
  text.type = 'text';
  text.value = formatFactor(initial);
  text.size = 7;
  text.spellcheck = false;
  text.dataset.factor = name;
  text.setAttribute('aria-label', name);
  slider.addEventListener('input', () => {
    text.value = formatFactor(sliderToFactor(Number(slider.value)));
    commit(text.value);
  });
  text.addEventListener('change', () => commit(text.value));
  element.append(caption, slider, text);
  return {
    element,
    text,
    slider,
    showAccepted: (value) => {
      slider.value = String(factorToSlider(value));
    },
  };
}
