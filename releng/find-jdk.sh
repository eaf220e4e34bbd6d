# Sourced by ./brainalign, ./run-tests and .ci/run: sets JAVA_HOME to a JDK 21 or newer.
# Takes JAVA_HOME when it is new enough, else the newest JDK in the usual system folder (/usr/lib/jvm), else the
# java on PATH; says clearly what to do when there is none.
brainalign_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}
brainalign_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r) \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    candidate=${candidate%/}
    [[ -n $candidate && -x $candidate/bin/java && -x $candidate/bin/javac ]] || continue
    major=$(brainalign_java_major "$candidate")
    if [[ -n $major && $major -ge 21 ]]; then
      export JAVA_HOME=$candidate
      return 0
    fi
  done
  echo "brainalign: needs a JDK 21 or newer, and found none (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm)." >&2
  echo "brainalign: install one (Debian: apt-get install openjdk-21-jdk-headless, or Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
