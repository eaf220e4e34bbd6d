package org.brainalign.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A folder lock marks a store or run folder as being written by one process. It is an operating-system lock on the
 * file {@value #FILE} in the folder: a second writer, in this process or another, is refused at once, and the lock of a
 * killed process is released by the operating system, so a stale lock never blocks a resume. The file itself stays
 * (deleting it would let two writers lock two different files of the same name).
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file's name inside the locked folder. */
    public static final String FILE = ".brainalign.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks a folder for writing, creating it if needed.
     *
     * @param folder the folder
     * @return the held lock; close it when done writing
     * @throws OutputRefusedException if another writer holds the folder
     * @throws IOException if the lock file cannot be created
     */
    public static FolderLock acquire(Path folder) throws IOException {
        Files.createDirectories(folder);
        FileChannel channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // this process already writes the folder: as much a second writer as another process
        } finally {
            if (lock == null) {
                channel.close();
            }
        }
        if (lock == null) {
            throw new OutputRefusedException("Folder " + folder
                    + " is being written by another BrainAlign command; wait for it to finish, or stop it first");
        }
        return new FolderLock(channel, lock);
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
