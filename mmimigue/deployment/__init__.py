"""Taking a trained model out of the training stack: ONNX export with an onnxruntime parity
check (:mod:`.onnx_export`, needs torch and onnx) and the torch-free live detector that runs an
exported causal model (:mod:`.onnx_live`, onnxruntime and numpy only)."""
