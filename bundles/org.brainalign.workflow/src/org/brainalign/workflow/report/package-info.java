/**
 * Reports: one self-contained HTML file per report (tables, inlined charts, inputs and their hashes) that can be
 * mailed to a colleague and opened offline.
 */
package org.brainalign.workflow.report;
