#!/usr/bin/env bash
# Runs `brainalign doctor` in the Eclipse installation in the current folder and checks that it found its engine,
# and that the benchmarks feature's command is offered.
# Called by the install test (pom.xml) with the java executable as the only argument.
set -euo pipefail
java=$1
launcher=$(ls plugins/org.eclipse.equinox.launcher_*.jar | head -n 1)
grep -q '^org.brainalign.cli,' configuration/org.eclipse.equinox.simpleconfigurator/bundles.info ||
  { echo "install test: org.brainalign.cli is not in the installed bundles.info" >&2; exit 1; }
out=$("$java" -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar "$launcher" -nosplash \
  -configuration "$PWD/configuration" -data @none -application org.brainalign.cli.app doctor)
echo "$out"
grep -Eq '^DJL engine +PyTorch' <<<"$out" || { echo "install test: doctor found no PyTorch engine" >&2; exit 1; }
# an IDE started without --add-modules=jdk.incubator.vector: the engine still resolves, on the plain loops
grep -Eq '^Kernels +scalar loops' <<<"$out" ||
  { echo "install test: without the Vector API module doctor should report the plain loops" >&2; exit 1; }
# the benchmarks' bundle contributes `bench` to the command line as a service; the command line does not know it
bench=$("$java" -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar "$launcher" -nosplash \
  -configuration "$PWD/configuration" -data @none -application org.brainalign.cli.app help bench)
grep -q '^Usage: brainalign bench NAME' <<<"$bench" ||
  { echo "install test: the installed command line does not offer bench (the benchmarks' service)" >&2; exit 1; }
echo "install test: BrainAlign installed from the update site and ran doctor and help bench"
