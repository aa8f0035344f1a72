#!/usr/bin/env bash
# Usage: bash tools/dist_test.sh CONFIG CHECKPOINT N [test.py args...]
set -e
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}

if [ "$NODE_RANK" = "0" ] && ! "$PYTHON" -c "import socket, sys; s = socket.socket(); s.bind(('$MASTER_ADDR', int(sys.argv[1])))" "$PORT" 2>/dev/null; then
    echo "$(basename "$0"): port $PORT on $MASTER_ADDR is taken (another run?); set PORT to a free one, e.g. PORT=$((PORT + 1)) bash $0 ..." >&2
    exit 1
fi

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/test.py" \
    "$CONFIG" \
    "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
