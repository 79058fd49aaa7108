package io.drover.cli;

import io.drover.core.repository.BackupProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A throughput bar on a terminal; nothing when output is piped. */
final class Progress implements BackupProgress, AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(CliContext ctx, String task, long totalBytes) {
        if (!ctx.showProgress()) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(250).clearDisplayOnFinish().build();
        return new Progress(bar);
    }

    @Override
    public void bytesRead(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void entryDone(String path, boolean skipped) {
        if (bar != null) {
            bar.setExtraMessage(path.length() > 40 ? "…" + path.substring(path.length() - 39) : path);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
