/**
 * What a bundle needs to add a command to the {@code brainalign} command line without depending on it: the
 * {@link org.brainalign.workflow.command.ContributedCommand} service type with the exit codes, and the parsing of
 * {@code --name value} options into {@link org.brainalign.workflow.command.Arguments}, with
 * {@link org.brainalign.workflow.command.UsageException} for a command line that cannot be understood.
 */
package org.brainalign.workflow.command;
