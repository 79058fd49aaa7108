package io.drover.core.scheduler;

import io.drover.core.DroverVersion;
import io.drover.core.app.DroverRuntime;
import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RunStatus;
import io.drover.core.catalog.ScheduledRunRecord;
import io.drover.core.catalog.SchedulerNodeRecord;
import io.drover.core.config.BlackoutConfig;
import io.drover.core.config.DroverConfig;
import io.drover.core.config.ScheduleConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.rpo.RpoEvaluator;
import io.drover.core.rpo.ServiceStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The daemon's scheduler: Quartz with its JDBC JobStore in the catalog database. Every fire of a
 * job is recorded in {@code scheduled_run} before work starts and closed when it ends; a fire whose
 * node died is recovered by Quartz (on another node when clustered) and recorded as such. The same
 * class, not started, is the client that {@code drover jobs} uses to list, pause, resume and trigger
 * jobs in the shared JobStore whether a daemon runs or not.
 */
public final class DroverScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DroverScheduler.class);
    /** Quartz's SCHED_NAME: the same for every node of one catalog. */
    static final String SCHEDULER_NAME = "drover";
    static final String GROUP = "drover";
    private static final String RPO_WAKEUP = "rpo-wakeup";
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** A node whose heartbeat is older than this is taken for dead. */
    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_CLOCK_SKEW_MS = 1000;

    private final DroverRuntime runtime;
    private final DroverConfig config;
    private final Catalog catalog;
    private final String node;
    private final DaemonMetrics metrics;
    private final boolean clustered;
    private final DataSource dataSource;
    private final Scheduler quartz;
    private final Map<String, ScheduledJob> jobs = new HashMap<>();
    private final Map<String, Semaphore> targetSlots = new ConcurrentHashMap<>();
    private final JobExecutor executor;
    private final Instant startedAt;
    private final AtomicLong clockSkewMillis = new AtomicLong();
    private ScheduledExecutorService heartbeat;
    private volatile boolean warnedSkew;

    /**
     * @param node this node's name: stable across restarts (so its interrupted runs are found), unique in a cluster
     */
    public DroverScheduler(DroverRuntime runtime, String node, DaemonMetrics metrics) {
        this.runtime = runtime;
        this.config = runtime.config();
        this.catalog = runtime.catalog();
        this.node = node;
        this.metrics = metrics;
        this.clustered = config.catalog().map(c -> c.clustered()).orElse(false);
        if (clustered && !catalog.isPostgres()) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "catalog.clustered: true needs a PostgreSQL catalog",
                    "set catalog.url to a jdbc:postgresql:// URL shared by every node, or remove clustered: true",
                    List.of(), null);
        }
        for (ScheduledJob job : ScheduledJobs.of(config)) {
            jobs.put(job.key(), job);
        }
        config.targets().forEach((name, definition) -> {
            if (definition.limits().jobs() > 0) {
                targetSlots.put(name, new Semaphore(definition.limits().jobs(), true));
            }
        });
        this.executor = new JobExecutor(runtime, "scheduler@" + node);
        // Every evaluation (the RPO job's, and the one after each job) updates the service gauges.
        runtime.rpoMonitor().onEvaluated(metrics::serviceEvaluated);
        this.startedAt = runtime.clock().instant();
        this.dataSource = catalog.openSchedulerDataSource(config.serve().threads() + 3);
        this.quartz = createQuartz();
    }

    private Scheduler createQuartz() {
        // Quartz finds its connections by name in a JVM-wide registry; one name per instance keeps
        // several schedulers in one JVM (tests) apart.
        String dataSourceName = "drover-" + node + "-" + System.identityHashCode(this);
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // The pool is closed with this scheduler.
            }

            @Override
            public void initialize() {
                // The pool exists already.
            }
        });
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, node);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // New triggers from 'drover jobs run-now' in another process are seen within this time.
        p.setProperty("org.quartz.scheduler.idleWaitTime", "2000");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(config.serve().threads()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "drover-job");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // Reads blobs with getBytes, which both PostgreSQL's bytea and H2's binary columns support.
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            Scheduler scheduler = factory.getScheduler();
            // The factory keeps schedulers by name JVM-wide; drover holds its own reference, and
            // several nodes in one JVM (tests) share the name.
            org.quartz.impl.SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
            scheduler.getContext().put(QuartzJob.SCHEDULER_KEY, this);
            return scheduler;
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot set up the scheduler on the catalog "
                    + catalog.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    public String node() {
        return node;
    }

    public boolean clustered() {
        return clustered;
    }

    // ---- daemon --------------------------------------------------------------------------------

    /**
     * Starts firing: refuses a second daemon on a non-clustered catalog, closes and reports this
     * node's runs left RUNNING by a crash, syncs the schedule with the config, starts the heartbeat.
     */
    public List<ScheduledRunRecord> start() {
        if (!clustered) {
            refuseSecondDaemon();
        }
        List<ScheduledRunRecord> interrupted = catalog.interruptScheduledRuns(node,
                "drover serve on " + node + " stopped before the run finished", runtime.clock().instant());
        for (ScheduledRunRecord run : interrupted) {
            LOG.warn("run {} of {} (fire of {}) was interrupted when drover serve on {} stopped; it is closed now",
                    run.id(), run.jobKey(), run.scheduledAt(), node);
        }
        beat();
        sync();
        try {
            quartz.start();
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot start the scheduler: " + e.getMessage(), e);
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::heartbeatSafely, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("drover serve on {} started: {} scheduled jobs, {}", node, jobs.size(),
                clustered ? "clustered" : "single node");
        return interrupted;
    }

    private void refuseSecondDaemon() {
        Instant now = catalog.databaseNow();
        for (SchedulerNodeRecord other : catalog.schedulerNodes()) {
            boolean alive = other.stoppedAt().isEmpty() && other.heartbeatAt().isAfter(now.minus(NODE_TIMEOUT));
            boolean itself = other.node().equals(node) && other.pid() == ProcessHandle.current().pid();
            // A node on this host whose process is gone (killed) left a fresh heartbeat behind: not alive.
            boolean gone = other.host().equals(hostName()) && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true);
            if (alive && !itself && !gone) {
                throw new DroverException(DroverErrors.DAEMON_RUNNING, "another drover serve is running on this catalog: node '"
                        + other.node() + "' (pid " + other.pid() + " on " + other.host() + ", last heartbeat "
                        + other.heartbeatAt() + ")", "stop it first; to run several nodes, use a PostgreSQL catalog"
                        + " with catalog: { clustered: true }", List.of(), null);
            }
        }
    }

    /** Stops firing, lets running jobs finish for up to {@code grace}, then marks what still runs INTERRUPTED. */
    public void shutdown(Duration grace) {
        try {
            quartz.standby();
            Instant deadline = Instant.now().plus(grace);
            while (!quartz.getCurrentlyExecutingJobs().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            int running = quartz.getCurrentlyExecutingJobs().size();
            if (running > 0) {
                LOG.warn("{} jobs still running after the shutdown grace period of {}; they are marked interrupted",
                        running, grace);
            }
            quartz.shutdown(false);
        } catch (SchedulerException e) {
            LOG.warn("stopping the scheduler: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
            }
            Instant now = runtime.clock().instant();
            catalog.interruptScheduledRuns(node, "drover serve on " + node + " was stopped before the run finished", now);
            catalog.schedulerHeartbeat(nodeRecord(now, Optional.of(now)));
        }
    }

    @Override
    public void close() {
        try {
            if (!quartz.isShutdown()) {
                quartz.shutdown(false);
            }
        } catch (SchedulerException e) {
            LOG.debug("closing the scheduler", e);
        } finally {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
            }
            if (dataSource instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debug("closing the scheduler's pool", e);
                }
            }
        }
    }

    // ---- executing a fire ------------------------------------------------------------------------

    /** Called by {@link QuartzJob} on a Quartz worker thread for every fire. */
    void execute(JobExecutionContext context) {
        String key = context.getJobDetail().getKey().getName();
        ScheduledJob job = jobs.get(key);
        if (job == null) {
            // Another node's config has a job this one does not know: it will run there.
            LOG.warn("fire of unknown job '{}' ignored: it is not in this node's config", key);
            return;
        }
        Instant scheduledAt = originalFireTime(context);
        List<Semaphore> held = new ArrayList<>();
        try {
            // The run starts once it may use its targets: waiting for a slot is not running.
            acquireTargetSlots(job, held);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held.forEach(Semaphore::release);
            return;
        }
        MDC.put("job", key);
        MDC.put("node", node);
        try {
            RecordedRun run = runRecorded(job, scheduledAt, context.getFireInstanceId(), context.isRecovering());
            metrics.jobFinished(job, run.took(), run.failure() == null, run.bytes());
        } finally {
            held.forEach(Semaphore::release);
            MDC.clear();
        }
    }

    /** How a recorded run ended; {@code failure} is null when it succeeded. */
    private record RecordedRun(long id, Duration took, long bytes, RuntimeException failure) {
    }

    /**
     * Runs {@code job} with a {@code scheduled_run} record opened before the work and closed after
     * it; a failure is recorded, logged and alerted (a failed backup alerts by itself), not thrown.
     */
    private RecordedRun runRecorded(ScheduledJob job, Instant scheduledAt, String fireId, boolean recovering) {
        Instant started = runtime.clock().instant();
        long runId = catalog.startScheduledRun(job.key(), job.kind().id(), scheduledAt, fireId, node, recovering, started);
        MDC.put("run", Long.toString(runId));
        try {
            JobExecutor.Result result = executor.run(job);
            result.evaluation().ifPresent(this::afterEvaluation);
            catalog.finishScheduledRun(runId, RunStatus.SUCCEEDED, Optional.of(result.summary()), runtime.clock().instant());
            LOG.info("{} succeeded: {}", job.key(), result.summary());
            return new RecordedRun(runId, Duration.between(started, runtime.clock().instant()), result.bytes(), null);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            catalog.finishScheduledRun(runId, RunStatus.FAILED, Optional.of(message), runtime.clock().instant());
            LOG.warn("{} failed: {}", job.key(), message);
            if (job.kind() != JobKind.BACKUP) {
                // A failed backup has alerted already (BackupService reports its own failures).
                runtime.rpoMonitor().jobFailed(job.key(), job.kind().id(), runId, message);
            }
            return new RecordedRun(runId, Duration.between(started, runtime.clock().instant()), 0, e);
        }
    }

    /** The fire time the schedule asked for; a recovered fire keeps the one of the attempt that died. */
    private static Instant originalFireTime(JobExecutionContext context) {
        if (context.isRecovering()) {
            // The scheduled time, not the fired one (which is a little later): the fire's identity.
            String original = context.getMergedJobDataMap()
                    .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        Date scheduled = context.getScheduledFireTime();
        return (scheduled != null ? scheduled : context.getFireTime()).toInstant();
    }

    /** Targets in name order, so two jobs never wait for each other's slots crosswise. */
    private void acquireTargetSlots(ScheduledJob job, List<Semaphore> held) throws InterruptedException {
        for (String target : new TreeSet<>(job.targets())) {
            Semaphore slots = targetSlots.get(target);
            if (slots != null) {
                if (!slots.tryAcquire()) {
                    LOG.info("{} waits for a job slot on target {}", job.key(), target);
                    slots.acquire();
                }
                held.add(slots);
            }
        }
    }

    /** Wakes the evaluator up exactly when a state will next get worse. */
    private void afterEvaluation(RpoEvaluator.Evaluation evaluation) {
        Optional<Instant> next = evaluation.statuses().stream().map(ServiceStatus::nextStateChange)
                .flatMap(Optional::stream).min(Instant::compareTo);
        Instant regular = runtime.clock().instant().plus(config.rpoTracking().interval());
        if (next.isPresent() && next.get().isBefore(regular)) {
            Trigger wakeup = TriggerBuilder.newTrigger().withIdentity(RPO_WAKEUP, GROUP)
                    .forJob(ScheduledJobs.RPO_KEY, GROUP)
                    // Rounded up to the next millisecond, so the threshold has been passed when it fires.
                    .startAt(new Date(next.get().toEpochMilli() + 1))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                    .build();
            try {
                if (quartz.checkExists(wakeup.getKey())) {
                    quartz.rescheduleJob(wakeup.getKey(), wakeup);
                } else {
                    quartz.scheduleJob(wakeup);
                }
            } catch (SchedulerException e) {
                LOG.debug("scheduling the RPO wake-up", e);
            }
        }
    }

    // ---- heartbeat --------------------------------------------------------------------------------

    private void heartbeatSafely() {
        try {
            beat();
            metrics.lastSuccess(catalog.lastScheduledSuccess());
            if (clustered) {
                checkCluster();
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of {} failed: {}", node, e.getMessage());
        }
    }

    /** Records this node as alive, with its clock measured against the database's. */
    private void beat() {
        // The runtime's clock is the one schedules and RPO ages are computed with.
        long before = runtime.clock().millis();
        Instant databaseNow = catalog.databaseNow();
        long after = runtime.clock().millis();
        long skew = (before + after) / 2 - databaseNow.toEpochMilli();
        clockSkewMillis.set(skew);
        if (Math.abs(skew) > MAX_CLOCK_SKEW_MS && !warnedSkew) {
            LOG.warn("the clock of node {} differs from the catalog database's by {} ms (more than 1 s): schedules and"
                    + " RPO ages would be off; synchronise the clocks (NTP)", node, skew);
            warnedSkew = true;
        } else if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) {
            warnedSkew = false;
        }
        Instant now = runtime.clock().instant();
        catalog.schedulerHeartbeat(nodeRecord(now, Optional.empty()));
        metrics.heartbeat(now, skew);
    }

    private SchedulerNodeRecord nodeRecord(Instant now, Optional<Instant> stoppedAt) {
        return new SchedulerNodeRecord(node, hostName(), ProcessHandle.current().pid(), DroverVersion.get(), startedAt,
                now, clockSkewMillis.get(), stoppedAt);
    }

    /** Warns about nodes whose clocks disagree by more than a second, and closes runs of dead nodes. */
    private void checkCluster() {
        Instant databaseNow = catalog.databaseNow();
        List<SchedulerNodeRecord> live = new ArrayList<>();
        for (SchedulerNodeRecord other : catalog.schedulerNodes()) {
            if (other.stoppedAt().isPresent()) {
                continue;
            }
            if (other.heartbeatAt().isBefore(databaseNow.minus(NODE_TIMEOUT))) {
                List<ScheduledRunRecord> closed = catalog.interruptScheduledRuns(other.node(), "node " + other.node()
                        + " stopped sending heartbeats before the run finished", runtime.clock().instant());
                closed.forEach(run -> LOG.warn("run {} of {} on dead node {} marked interrupted", run.id(), run.jobKey(),
                        other.node()));
            } else {
                live.add(other);
            }
        }
        for (SchedulerNodeRecord other : live) {
            long difference = Math.abs(other.clockSkewMillis() - clockSkewMillis.get());
            if (!other.node().equals(node) && difference > MAX_CLOCK_SKEW_MS) {
                LOG.warn("the clocks of nodes {} and {} differ by {} ms (more than 1 s); synchronise them (NTP)", node,
                        other.node(), difference);
            }
        }
    }

    public long clockSkewMillis() {
        return clockSkewMillis.get();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    // ---- the schedule in the JobStore --------------------------------------------------------------

    /**
     * Makes the JobStore match the config: adds new jobs, updates changed schedules (keeping a
     * paused job paused), removes jobs the config no longer has. Idempotent, so every node may run it.
     */
    public void sync() {
        try {
            syncCalendars();
            Set<JobKey> existing = quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP));
            for (ScheduledJob job : jobs.values()) {
                JobDetail detail = JobBuilder.newJob(QuartzJob.class).withIdentity(job.key(), GROUP)
                        .withDescription(job.kind().id() + job.job().map(j -> " of job " + j).orElse(""))
                        .storeDurably().requestRecovery(job.kind() != JobKind.RPO && job.kind() != JobKind.REPLICATION).build();
                quartz.addJob(detail, true, true);
                Trigger trigger = trigger(job);
                Trigger current = quartz.getTrigger(trigger.getKey());
                if (current == null) {
                    quartz.scheduleJob(trigger);
                } else if (!sameSchedule(current, trigger)) {
                    boolean paused = quartz.getTriggerState(trigger.getKey()) == Trigger.TriggerState.PAUSED;
                    quartz.rescheduleJob(trigger.getKey(), trigger);
                    if (paused) {
                        quartz.pauseTrigger(trigger.getKey());
                    }
                }
            }
            for (JobKey key : existing) {
                if (!jobs.containsKey(key.getName())) {
                    LOG.info("job {} is no longer in the config; removing it from the schedule", key.getName());
                    quartz.deleteJob(key);
                }
            }
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot store the schedule in the catalog: "
                    + e.getMessage(), e);
        }
    }

    private void syncCalendars() throws SchedulerException {
        for (Map.Entry<String, BlackoutConfig> entry : config.blackouts().entrySet()) {
            quartz.addCalendar(entry.getKey(), io.drover.core.rpo.Schedules.blackoutCalendar(entry.getValue()), true, true);
        }
    }


    private static Trigger trigger(ScheduledJob job) {
        TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger().withIdentity(job.key(), GROUP)
                .forJob(job.key(), GROUP).withDescription(describe(job));
        if (job.schedule().isPresent()) {
            ScheduleConfig schedule = job.schedule().get();
            CronScheduleBuilder cron = CronScheduleBuilder.cronSchedule(schedule.cron())
                    .inTimeZone(TimeZone.getTimeZone(schedule.timezone()));
            cron = schedule.misfire() == ScheduleConfig.Misfire.SKIP ? cron.withMisfireHandlingInstructionDoNothing()
                    : cron.withMisfireHandlingInstructionFireAndProceed();
            schedule.blackout().ifPresent(builder::modifiedByCalendar);
            return builder.withSchedule(cron).build();
        }
        return builder.startNow().withSchedule(SimpleScheduleBuilder.simpleSchedule()
                .withIntervalInMilliseconds(job.interval().orElseThrow().toMillis()).repeatForever()
                .withMisfireHandlingInstructionNextWithRemainingCount()).build();
    }

    /** The trigger's description carries the whole schedule, so a changed config is noticed. */
    public static String describe(ScheduledJob job) {
        return job.schedule().map(s -> "cron " + s.cron() + " " + s.timezone().getId() + " misfire "
                + s.misfire().name() + s.blackout().map(b -> " blackout " + b).orElse(""))
                .orElseGet(() -> "every " + job.interval().orElseThrow().toMillis() + " ms");
    }

    private static boolean sameSchedule(Trigger current, Trigger wanted) {
        return java.util.Objects.equals(current.getDescription(), wanted.getDescription());
    }

    // ---- the client side (drover jobs) ------------------------------------------------------------

    /** One job as {@code drover jobs list} shows it. */
    public record JobView(ScheduledJob job, String state, Optional<Instant> nextFire, Optional<Instant> previousFire,
                          Optional<ScheduledRunRecord> lastRun) {
    }

    public List<JobView> list() {
        List<JobView> views = new ArrayList<>();
        try {
            for (ScheduledJob job : ScheduledJobs.of(config)) {
                TriggerKey key = TriggerKey.triggerKey(job.key(), GROUP);
                Trigger trigger = quartz.getTrigger(key);
                String state = trigger == null ? "NOT_SCHEDULED" : quartz.getTriggerState(key).name();
                Optional<ScheduledRunRecord> last = catalog.scheduledRuns(Optional.of(job.key()), Optional.empty(), 1)
                        .stream().findFirst();
                views.add(new JobView(job, state, Optional.ofNullable(trigger).map(Trigger::getNextFireTime)
                        .map(Date::toInstant), Optional.ofNullable(trigger).map(Trigger::getPreviousFireTime)
                        .map(Date::toInstant), last));
            }
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot read the schedule: " + e.getMessage(), e);
        }
        return views;
    }

    public void pause(String key) {
        requireKnown(key);
        sync();
        try {
            quartz.pauseJob(JobKey.jobKey(key, GROUP));
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot pause " + key + ": " + e.getMessage(), e);
        }
    }

    public void resume(String key) {
        requireKnown(key);
        sync();
        try {
            quartz.resumeJob(JobKey.jobKey(key, GROUP));
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot resume " + key + ": " + e.getMessage(), e);
        }
    }

    /** Asks a running daemon to fire {@code key} now (it picks the request up within seconds). */
    public void triggerNow(String key) {
        requireKnown(key);
        sync();
        try {
            quartz.triggerJob(JobKey.jobKey(key, GROUP));
        } catch (SchedulerException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "cannot trigger " + key + ": " + e.getMessage(), e);
        }
    }

    /** Nodes whose heartbeat is recent: the daemons that would pick up a triggered job. */
    public List<SchedulerNodeRecord> liveNodes() {
        Instant now = catalog.databaseNow();
        return catalog.schedulerNodes().stream().filter(n -> n.stoppedAt().isEmpty()
                && n.heartbeatAt().isAfter(now.minus(NODE_TIMEOUT))).toList();
    }

    /** Runs {@code key} in this process now (no daemon is running), recorded like a scheduled run. */
    public ScheduledRunRecord runHere(String key) {
        ScheduledJob job = requireKnown(key);
        Instant now = runtime.clock().instant();
        RecordedRun run = runRecorded(job, now, "manual-" + node + "-" + now.toEpochMilli(), false);
        if (run.failure() != null) {
            throw run.failure();
        }
        return catalog.scheduledRuns(Optional.of(key), Optional.empty(), 1).getFirst();
    }

    private ScheduledJob requireKnown(String key) {
        ScheduledJob job = jobs.get(key);
        if (job == null) {
            throw new DroverException(DroverErrors.JOB_NOT_FOUND, "no scheduled job '" + key + "'",
                    "scheduled jobs: " + String.join(", ", new TreeSet<>(jobs.keySet()))
                    + " (a config job is scheduled once it has a schedule:)", List.of(), null);
        }
        return job;
    }
}
