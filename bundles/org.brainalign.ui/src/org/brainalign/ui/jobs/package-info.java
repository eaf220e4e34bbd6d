/**
 * BrainAlign's long work as Eclipse jobs: the demo, feature extraction, fitting and reports, each cancellable with its
 * progress in real units in the Progress view, leaving the workspace as it was when cancelled or failed, reporting a
 * failure in one sentence naming the file (platform log and an error dialog), and opening its results when done.
 */
package org.brainalign.ui.jobs;
