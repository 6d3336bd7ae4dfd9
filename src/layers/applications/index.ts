/** The layers of keras.applications' own (ConvNeXt's LayerScale, InceptionResNetV2's CustomScaleLayer). */
export { CustomScaleLayer, type CustomScaleLayerOptions } from './custom-scale-layer.js';
export { LayerScale, type LayerScaleOptions } from './layer-scale.js';
