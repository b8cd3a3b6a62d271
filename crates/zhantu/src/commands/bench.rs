//! `zhantu bench [--database DB] [--projects N] [--districts K] [--runs R]`: the province
//! benchmark of issue #8. Generates the province when the database is empty, serves it from
//! a child process of this same binary on a free loopback port, and times the pages and API
//! calls a province's users wait for (median and p90 over `--runs` after two warm-ups), the
//! daily lights job, and the server's peak memory. Prints a Markdown table against the
//! targets; it is a measurement, so being over a target is not an error.

use super::CliError;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use zhantu_domain::access::Role;
use zhantu_store::{AuditCtx, NewUser, OpenMode, Store};
use zhantu_web::auth;

#[derive(clap::Args)]
pub struct Args {
    /// 数据库：SQLite 文件路径或 postgres:// 地址（默认为临时目录下的 zhantu-province.db）；为空时先生成数据
    #[arg(long)]
    pub database: Option<String>,
    /// 生成时的项目数
    #[arg(long, default_value_t = 100_000)]
    pub projects: usize,
    /// 生成时的县（市、区）数
    #[arg(long, default_value_t = 10)]
    pub districts: usize,
    /// 每项测量的次数（另有 2 次预热）
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// 生成时的随机种子
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Issue #8's targets.
const PAGE_TARGET_MS: f64 = 100.0;
const LIGHTS_TARGET_MS: f64 = 10_000.0;
const RSS_TARGET_MB: f64 = 300.0;

/// A common two-character term of generated project names (智能制造, 智能化改造).
const SEARCH_TERM: &str = "智能";

/// The child server; killed when dropped, on success and on every error path.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One measured line of the table.
struct Row {
    what: String,
    request: String,
    /// Median and p90 (ms, or MB for memory).
    figures: (f64, f64),
    target: f64,
    unit: &'static str,
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The nearest-rank 90th percentile.
fn p90(sorted: &[f64]) -> f64 {
    let rank = (sorted.len() * 9).div_ceil(10).max(1);
    sorted[rank - 1]
}

fn summary(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (median(&ms), p90(&ms))
}

/// Runs `zhantu job run lights` once: its wall time (ms) and its peak RSS (MB: the child's
/// VmHWM, read every 20 ms while it runs; the high-water mark only rises, so the last
/// reading is the peak up to its final 20 ms).
fn time_lights_job(exe: &std::path::Path, database: &str) -> Result<(f64, f64), CliError> {
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["job", "run", "lights", "--database", database])
        .env("ZHANTU_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| CliError(format!("无法运行亮灯任务：{e}")))?;
    let mut peak: f64 = 0.0;
    let status = loop {
        if let Some(mb) = peak_rss_mb(child.id()) {
            peak = peak.max(mb);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(CliError(format!("亮灯任务：{e}"))),
        }
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(CliError(format!("亮灯任务失败（{status}）：{}", err.trim())));
    }
    Ok((ms, peak))
}

fn free_port() -> Result<u16, CliError> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| CliError(format!("找不到空闲端口：{e}")))?;
    Ok(l.local_addr().map_err(|e| CliError(e.to_string()))?.port())
}

fn thousands(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Peak resident memory of a process (VmHWM), in MB.
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0 / 1e6)
}

/// A fresh API token of the benchmark's administrator (created on first use).
async fn bench_token(store: &Store) -> Result<String, CliError> {
    let ctx = AuditCtx::system("bench");
    let user_id = match store.user_by_username("bench").await? {
        Some(u) => u.id,
        None => {
            let unit_id = store.root_unit().await?.ok_or_else(|| CliError("数据库中还没有单位".into()))?;
            let password = format!("Zt{}9", &auth::random_token()[..16]);
            store
                .create_user(
                    &NewUser {
                        username: "bench".into(),
                        display_name: "基准测试".into(),
                        role: Role::Admin,
                        unit_id,
                        password_hash: auth::hash_password(&password).map_err(|e| CliError(e.message))?,
                        must_change_password: false,
                    },
                    &ctx,
                )
                .await?
                .id
        }
    };
    let token = format!("{}{}", auth::TOKEN_PREFIX, auth::random_token());
    store
        .create_api_token(user_id, "bench", &auth::sha256_hex(&token), &token[..10], &ctx)
        .await?;
    Ok(token)
}

/// Times `runs` GETs after two warm-ups; any other status than 200 is an error.
async fn time_get(client: &reqwest::Client, base: &str, token: &str, path: &str, runs: usize) -> Result<Vec<f64>, CliError> {
    let url = format!("{base}{path}");
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let started = Instant::now();
        let resp = client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| CliError(format!("GET {path} 失败：{e}")))?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| CliError(format!("GET {path} 读取失败：{e}")))?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if status != 200 {
            let text = String::from_utf8_lossy(&body);
            let text: String = text.chars().take(300).collect();
            return Err(CliError(format!("GET {path} 返回 {status}：{text}")));
        }
        if i >= 2 {
            ms.push(elapsed);
        }
    }
    Ok(ms)
}

async fn wait_healthy(client: &reqwest::Client, base: &str, server: &mut Server) -> Result<(), CliError> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(CliError(format!("服务进程已退出（{status}）")));
        }
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(CliError("服务在 5 分钟内没有就绪".into()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn run(args: Args) -> Result<(), CliError> {
    if args.runs == 0 {
        return Err(CliError("--runs 应大于0".into()));
    }
    let database = args
        .database
        .unwrap_or_else(|| std::env::temp_dir().join("zhantu-province.db").to_string_lossy().into_owned());
    if Store::create_database_if_missing(&database).await? {
        println!("已创建数据库 {database}。");
    }
    let store = Store::open(&database, OpenMode::CreateOrMigrate).await?;
    if store.is_empty().await? {
        println!(
            "数据库为空：生成 {} 个项目、{} 个县区（种子 {}）……",
            args.projects, args.districts, args.seed
        );
        super::generate::fill(&store, args.projects, args.districts, args.seed).await?;
    }
    let size = store.data_size().await?;
    let district = store
        .setting("district_division")
        .await?
        .ok_or_else(|| CliError("数据库没有 district_division 设置".into()))?;
    let token = bench_token(&store).await?;
    // The server claims today's daily jobs when it starts; claim them first, so that no
    // lights run of its own competes with the measurements (the job is measured below).
    let today = zhantu_store::today_in_china().to_string();
    for job in ["lights", "escalate"] {
        store.claim_job(job, &today, "zhantu-bench").await?;
    }
    let engine = store.engine().name();
    store.close().await;

    let exe = std::env::current_exe().map_err(|e| CliError(format!("找不到本程序：{e}")))?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(&exe)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", &database])
        .env("ZHANTU_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| CliError(format!("无法启动服务进程：{e}")))?;
    let mut server = Server(child);
    let pid = server.0.id();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .map_err(|e| CliError(e.to_string()))?;
    wait_healthy(&client, &base, &mut server).await?;
    println!("服务已启动：{base}（进程 {pid}）；每项测量 {} 次（另预热 2 次）。", args.runs);

    let middle = (size.projects / 2).max(1);
    let requests: Vec<(&str, String)> = vec![
        ("figures API, province", "/api/v1/figures?year=2019".into()),
        (
            "figures API, one district",
            format!("/api/v1/figures?year=2019&division={district}"),
        ),
        (
            "registry with filters",
            format!("/api/v1/projects?limit=50&division={district}&stage=construction&light=red"),
        ),
        ("registry, middle page", format!("/api/v1/projects?limit=50&after={middle}")),
        ("overdue nodes", "/api/v1/nodes?overdue=1&limit=50".into()),
        (
            "overdue nodes, one district",
            format!("/api/v1/nodes?overdue=1&limit=50&division={district}"),
        ),
        ("text search", format!("/api/v1/search?q={SEARCH_TERM}")),
        ("registry text search", format!("/api/v1/projects?limit=50&q={SEARCH_TERM}")),
        ("battle map, one district", format!("/battle-map?division={district}")),
    ];
    let mut rows = Vec::new();
    for (what, path) in requests {
        let ms = time_get(&client, &base, &token, &path, args.runs).await?;
        rows.push(Row {
            what: what.into(),
            request: format!("`GET {path}`"),
            figures: summary(ms),
            target: PAGE_TARGET_MS,
            unit: "ms",
        });
    }

    // The daily lights job, as an administrator runs it, while the server keeps serving:
    // first again on the same day (nothing changes); then from one day to the next, so that
    // the reasons counting days ("逾期23天", "3天内到期") move, and with them those projects'
    // node packs, as in a real day's run. The two days are a week before the database's own
    // as-of date (mid-month, so the closed month of the investment check stays put), run
    // alternately; the as-of date and the lights are then put back.
    let mut same_day = Vec::new();
    let mut job_peak_mb: f64 = 0.0;
    for _ in 0..args.runs.min(3) {
        let (ms, mb) = time_lights_job(&exe, &database)?;
        same_day.push(ms);
        job_peak_mb = job_peak_mb.max(mb);
    }
    rows.push(Row {
        what: "daily lights job, same day".into(),
        request: "`zhantu job run lights`".into(),
        figures: summary(same_day),
        target: LIGHTS_TARGET_MS,
        unit: "ms",
    });
    let store = Store::open(&database, OpenMode::ExistingOnly).await?;
    let pinned = store.setting("as_of").await?;
    let ctx = AuditCtx::system("bench");
    match pinned.as_deref().map(zhantu_domain::parse_date) {
        Some(Ok(day)) => {
            let first = (day - chrono::Days::new(8)).to_string();
            let second = (day - chrono::Days::new(7)).to_string();
            store.set_setting("as_of", &first, &ctx).await?;
            time_lights_job(&exe, &database)?;
            let mut next_day = Vec::new();
            for _ in 0..args.runs.min(3) {
                for date in [&second, &first] {
                    store.set_setting("as_of", date, &ctx).await?;
                    let (ms, mb) = time_lights_job(&exe, &database)?;
                    next_day.push(ms);
                    job_peak_mb = job_peak_mb.max(mb);
                }
            }
            store.set_setting("as_of", &day.to_string(), &ctx).await?;
            time_lights_job(&exe, &database)?;
            rows.push(Row {
                what: "daily lights job, next day".into(),
                request: format!("`zhantu job run lights`, as-of {first} ⇄ {second}"),
                figures: summary(next_day),
                target: LIGHTS_TARGET_MS,
                unit: "ms",
            });
        }
        _ => println!("数据日期未固定（设置 as_of 为空或无效）：跳过次日亮灯的测量。"),
    }
    store.close().await;
    rows.push(Row {
        what: "lights job peak RSS (VmHWM)".into(),
        request: "`zhantu job run lights`".into(),
        figures: (job_peak_mb, job_peak_mb),
        target: RSS_TARGET_MB,
        unit: "MB",
    });
    let rss = peak_rss_mb(pid).ok_or_else(|| CliError(format!("无法读取服务进程 {pid} 的 /proc/{pid}/status")))?;
    rows.push(Row {
        what: "server peak RSS (VmHWM)".into(),
        request: "`zhantu serve`".into(),
        figures: (rss, rss),
        target: RSS_TARGET_MB,
        unit: "MB",
    });
    drop(server);

    println!();
    println!(
        "Data: {} projects, {} nodes, {} progress reports, {} problems, {} districts; {engine}, {}.",
        thousands(size.projects),
        thousands(size.nodes),
        thousands(size.progress_reports),
        thousands(size.problems),
        size.districts,
        size.bytes
            .map(|b| format!("{:.0} MiB", b as f64 / 1_048_576.0))
            .unwrap_or_else(|| "size unknown".into())
    );
    println!();
    println!("| what | request | median ms | p90 ms | target | ok |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut over = Vec::new();
    for r in &rows {
        let target = if r.unit == "MB" {
            format!("< {:.0} MB", r.target)
        } else if r.target >= 1000.0 {
            format!("< {:.0} s", r.target / 1000.0)
        } else {
            format!("< {:.0} ms", r.target)
        };
        let (med, p) = r.figures;
        let ok = med < r.target;
        if !ok {
            over.push(r.what.as_str());
        }
        let (med, p) = if r.unit == "MB" {
            (format!("{med:.0} MB"), String::new())
        } else {
            (format!("{med:.1}"), format!("{p:.1}"))
        };
        println!(
            "| {} | {} | {med} | {p} | {target} | {} |",
            r.what,
            r.request,
            if ok { "✓" } else { "✗" }
        );
    }
    println!();
    let measured = rows.len();
    if over.is_empty() {
        println!(
            "Verdict: all {measured} measured items within target ({engine}, median of {} runs).",
            args.runs
        );
    } else {
        println!(
            "Verdict: {} of {measured} measured items over target ({engine}, median of {} runs): {}.",
            over.len(),
            args.runs,
            over.join(", ")
        );
    }
    Ok(())
}
