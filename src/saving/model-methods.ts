/**
 * Fills `Model`'s file methods (`save`, `saveWeights`, `loadWeights`) with
 * this module's functions, as Keras's `Model.save` calls `saving_api`:
 * models/ does not import saving/ (which builds on it), so there is no
 * import cycle. Imported for its effect by the entries and saving/index.ts.
 */
import { setModelFileMethods } from '../models/model-hooks.js';
import { saveModel } from './keras-file.js';
import { loadWeights, saveWeights } from './weights-file.js';

setModelFileMethods({ save: saveModel, saveWeights, loadWeights });
