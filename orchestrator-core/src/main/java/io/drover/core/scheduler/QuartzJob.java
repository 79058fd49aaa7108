package io.drover.core.scheduler;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The class Quartz instantiates for every fire (its name is stored in the JobStore). Never two at
 * once for the same job, on any node: Quartz's non-concurrent jobs block their trigger while running.
 */
@DisallowConcurrentExecution
public final class QuartzJob implements Job {
    static final String SCHEDULER_KEY = "drover.scheduler";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        DroverScheduler scheduler;
        try {
            scheduler = (DroverScheduler) context.getScheduler().getContext().get(SCHEDULER_KEY);
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        }
        scheduler.execute(context);
    }
}
