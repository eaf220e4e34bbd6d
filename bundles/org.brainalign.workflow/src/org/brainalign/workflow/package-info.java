/**
 * Workflows over the services of core, io, engine and charts, shared by the command line and the workbench: fitting
 * a subject into a run folder, drawing a run's charts, and the built-in demo.
 */
package org.brainalign.workflow;
