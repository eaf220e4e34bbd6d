/** Subjects as they lie on disk: NSD volume space, Algonauts 2023 surface space. */
package org.brainalign.io.subject;
