import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { Callback, type Logs } from './callback.js';
import { callbackFiles } from './files.js';
import { pythonFloatRepr } from './python-format.js';

/** The options of `CSVLogger`, Keras's `CSVLogger(filename, separator=",", append=False)`. */
export interface CSVLoggerOptions {
  /** The CSV file (Node). */
  filename: string;
  /** One character between fields; default `","`. */
  separator?: string;
  /** Add to an existing file (its header kept) instead of replacing it; default false. */
  append?: boolean;
}

/**
 * Keras's `CSVLogger`: one row per epoch, `epoch` then the logs in sorted
 * order, written as Python's `csv` module writes them (floats as Python
 * prints them, `\r\n` line ends, fields quoted when needed) and flushed
 * after each row. Node only.
 *
 * @example new callbacks.CSVLogger({ filename: 'training.log' })
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #keys: string[] | null = null;
  #writeHeader = true;

  constructor(options: CSVLoggerOptions) {
    super();
    const read = readOptions<CSVLoggerOptions>('CSVLogger', options, ['filename', 'separator', 'append']);
    if (typeof read.filename !== 'string' || read.filename === '') {
      throw invalidArgument('filename', 'a file path', read.filename);
    }
    const separator = read.separator ?? ',';
    // Python's csv module needs a one-character delimiter; a quote or a line end would break the rows.
    if (typeof separator !== 'string' || separator.length !== 1 || /["\r\n]/.test(separator)) {
      throw invalidArgument('separator', 'a one-character string other than a quote or a line end', separator);
    }
    const append = read.append ?? false;
    if (typeof append !== 'boolean') throw invalidArgument('append', 'a boolean', append);
    this.filename = read.filename;
    this.separator = separator;
    this.append = append;
  }

  override async onTrainBegin(): Promise<void> {
    const files = callbackFiles('CSVLogger');
    this.#writeHeader = true;
    if (this.append) {
      if (await files.exists(this.filename)) {
        const text = await files.readText(this.filename);
        // Keras: a header is written unless the file's first line has something.
        this.#writeHeader = (text.split('\n')[0] ?? '') === '';
      }
    } else {
      await files.writeText(this.filename, '');
    }
    this.#keys = null;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.#keys == null) {
      const keys = Object.keys(logs).sort();
      // Keras's rule: without validation logs, the columns still name them (filled with NA).
      if (!keys.some((key) => key.startsWith('val_')) && keys.length > 0) keys.push(...keys.map((k) => `val_${k}`));
      this.#keys = keys;
    }
    let text = '';
    if (this.#writeHeader) {
      text += this.row(['epoch', ...this.#keys]);
      this.#writeHeader = false;
    }
    const values = this.#keys.map((key) => (Object.hasOwn(logs, key) ? pythonFloatRepr(logs[key] as number) : 'NA'));
    text += this.row([String(epoch), ...values]);
    await callbackFiles('CSVLogger').appendText(this.filename, text);
  }

  override onTrainEnd(): void {
    this.#keys = null;
  }

  /** One row as Python's `csv.excel` dialect writes it (QUOTE_MINIMAL, `\r\n`). */
  private row(fields: string[]): string {
    const quoted = fields.map((field) =>
      field.includes(this.separator) || /["\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field,
    );
    return `${quoted.join(this.separator)}\r\n`;
  }
}
