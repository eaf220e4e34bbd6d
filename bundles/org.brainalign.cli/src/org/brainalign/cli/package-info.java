/**
 * The {@code brainalign} command line: the headless application registered with the Eclipse runtime, its commands
 * (their options parsed by the workflow's {@link org.brainalign.workflow.command.Arguments}), the commands other
 * bundles contribute as services, and console progress. Exit codes: 0 success, 1 failure, 2 usage error.
 */
package org.brainalign.cli;
