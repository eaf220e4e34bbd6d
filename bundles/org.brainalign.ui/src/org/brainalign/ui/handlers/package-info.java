/**
 * The workbench commands of BrainAlign (the BrainAlign menu, the Project Explorer's context menu, Help): extract
 * features, fit, write a report, compare two runs, and open the guide.
 */
package org.brainalign.ui.handlers;
