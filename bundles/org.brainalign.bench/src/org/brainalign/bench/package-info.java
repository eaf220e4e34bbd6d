/**
 * The shipped benchmarks ({@code brainalign bench NAME}): each prints its figures with the ratio to a baseline
 * measured in the same run. They live apart from the runtime bundles, which carry no measuring code; the command
 * reaches the command line as a {@link org.brainalign.workflow.command.ContributedCommand} service.
 */
package org.brainalign.bench;
