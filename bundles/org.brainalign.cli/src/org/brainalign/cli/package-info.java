/**
 * The {@code brainalign} command line: the headless application registered with the Eclipse runtime, its commands,
 * and their argument parsing. Exit codes: 0 success, 1 failure, 2 usage error.
 */
package org.brainalign.cli;
