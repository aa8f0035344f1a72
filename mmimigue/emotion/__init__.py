"""Video-level emotion understanding helpers: clip-outputs file, LLM-assisted reasoning."""
