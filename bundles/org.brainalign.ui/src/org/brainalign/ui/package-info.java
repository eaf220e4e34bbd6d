/** The BrainAlign workbench: the standalone application, the Brain Alignment perspective and its views. */
package org.brainalign.ui;
