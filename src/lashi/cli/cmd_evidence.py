"""`lashi evidence`: the tamper-evident evidence log (直播内容存证)."""
from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from lashi.cli.common import store_option, workspace_option

_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_duration(text: str) -> float:
    """'60s', '1m', '1h30m', '90' (seconds) -> seconds."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", t)
    if not parts or "".join(a + b for a, b in parts) != t:
        raise click.BadParameter(f"cannot read duration {text!r}, e.g. 60s, 2m, 1h30m / 无法识别时长 {text!r}")
    return sum(float(a) * _UNITS[u] for a, u in parts)


def parse_bitrate(text: str) -> float:
    """'4M', '2500k', '4000000' (bits per second) -> bits per second."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]?)(?:bps|b/s)?", text.strip().lower())
    if not m:
        raise click.BadParameter(f"cannot read bitrate {text!r}, e.g. 4M, 2500k / 无法识别码率 {text!r}")
    return float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2)]


def _paths(workspace: Path):
    from lashi.evidence import EvidencePaths

    return EvidencePaths(Path(workspace))


def _store() -> str | None:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(dict) if ctx else None
    return (obj or {}).get("store")


def _connect(paths, read_only: bool = False):
    """The workspace's DuckDB file, or the PostgreSQL store given to `lashi evidence --store`."""
    store = _store()
    if not store:
        return paths.connect(read_only=read_only)
    from lashi.pgstore import connect, is_postgres
    from lashi.pgstore.migrate import require_head

    if not is_postgres(store):
        raise click.BadParameter("expected postgresql://… / 需要 postgresql:// 地址", param_hint="--store")
    con = connect(store)
    try:
        require_head(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def _log(workspace: Path, read_only: bool = False):
    from lashi.evidence import EvidenceLog, LogIntegrityError
    from lashi.evidence.storage import storage_for

    paths = _paths(workspace)
    try:
        con = _connect(paths, read_only=read_only)
    except Exception as exc:  # noqa: BLE001 - the store's own message is the useful one
        raise click.ClickException(f"cannot open the store: {exc} / 无法打开数据库")
    try:
        if read_only and not storage_for(con).has_table("evidence_meta"):
            raise click.ClickException(f"no evidence log in {paths.db} yet; run `lashi evidence init` / "
                                       f"数据库中还没有存证日志，请先运行 lashi evidence init")
        try:
            log = EvidenceLog.open(con)
        except LogIntegrityError as exc:
            raise click.ClickException(str(exc))
        yield paths, con, log
    finally:
        con.close()


def _publish(log, paths) -> None:
    from lashi.evidence import LogIntegrityError, publish_head

    if not paths.signing_key.exists():
        click.echo("warning: no signing key, no head published; run `lashi evidence init` / "
                   "警告：没有签名密钥，未发布树头，请运行 lashi evidence init", err=True)
        return
    try:
        h = publish_head(log, paths)
    except LogIntegrityError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"signed head / 签名树头: size {h.tree_size}, root {h.root_hash}, {h.time}")


def _progress():
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn,
    )

    return Progress, (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TransferSpeedColumn(), TimeRemainingColumn())


@click.group(name="evidence")
@store_option
@click.pass_context
def command(ctx: click.Context, store: str | None) -> None:
    """Evidence log: notarize recordings, claims and responsibility lists; prove and verify.
    With `lashi evidence --store postgresql://… CMD` the log's tables live in PostgreSQL (several
    writers may append at once); keys and signed heads stay in the workspace folder.

    直播内容存证：录像片段、口播话术与售后责任清单上链式存证（Merkle 日志），可出具并离线验证证明。
    加 --store postgresql://… 时日志存于PostgreSQL（可多进程同时写入），密钥与签名树头仍在工作区目录。
    """
    ctx.ensure_object(dict)["store"] = store


@command.command()
@workspace_option
def init(workspace: Path) -> None:
    """Create the signing keys and the log; publish the first head. 生成签名密钥并初始化日志。"""
    from lashi.evidence import generate_keys
    from lashi.evidence.heads import key_id

    paths = _paths(workspace)
    if paths.signing_key.exists():
        click.echo(f"keys already exist in {paths.dir} (not replaced) / 密钥已存在（不会覆盖）")
    else:
        key = generate_keys(paths.dir)
        click.echo(f"created Ed25519 signing key {key_id(key.public_key())} in {paths.dir} / 已生成签名密钥")
    with _log(workspace) as (paths, _con, log):
        click.echo(f"log {log.log_id}: {log.size} entries / 日志共 {log.size} 条")
        _publish(log, paths)


@command.command()
@click.option("--raw", is_flag=True, help="Base64 of the raw 32-byte key instead of PEM. 输出原始公钥的 base64。")
@workspace_option
def pubkey(raw: bool, workspace: Path) -> None:
    """Print the operator's public key (to give to verifiers and witnesses). 输出运营方公钥。"""
    import base64

    from lashi.evidence.heads import key_id, public_pem, public_raw

    paths = _paths(workspace)
    try:
        pub = paths.load_public()
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc))
    click.echo(base64.b64encode(public_raw(pub)).decode() if raw else public_pem(pub).rstrip())
    click.echo(f"# key id / 密钥编号: {key_id(pub)}", err=True)


@command.command("add-recording")
@click.argument("session")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--segment", "segment", default="60s", show_default=True, help="Segment length, e.g. 60s, 2m. 片段时长。")
@click.option("--bitrate", help="Constant bitrate (bits/s), e.g. 4M: bytes map to time. 码率。")
@click.option("--duration", help="Session duration, e.g. 3h: the file is cut into equal byte chunks. 直播时长。")
@click.option("--streamer", help="Streamer id (subject). 主播编号。")
@workspace_option
def add_recording(session: str, file: Path, segment: str, bitrate: str | None, duration: str | None,
                  streamer: str | None, workspace: Path) -> None:
    """Hash a recording segment by segment (streaming) and log one entry per segment.

    按片段流式计算录像哈希，每个片段一条存证。Bytes map to time by --bitrate, or by equal
    chunks over --duration (default: the session's duration in the store). 二选一，缺省取数据库中的直播时长。
    """
    from lashi.evidence import NotarizeConflict, notarize_recording_segments, segment_file
    from lashi.evidence.notarize import session_duration_s

    if bitrate is not None and duration is not None:
        raise click.UsageError("give only one of --bitrate or --duration / --bitrate 与 --duration 只能选一个")
    seg_s = parse_duration(segment)
    size = file.stat().st_size
    Progress, cols = _progress()
    with _log(workspace) as (paths, con, log):
        dur = parse_duration(duration) if duration else None
        if bitrate is None and dur is None:
            dur = session_duration_s(con, session)
            if dur is None:
                raise click.UsageError(
                    f"session {session} has no duration in the store (live_sessions): give --bitrate or --duration "
                    f"/ 数据库中没有场次 {session} 的时长，请给出 --bitrate 或 --duration")
            click.echo(f"duration of {session} from the store: {dur:.0f} s / 从数据库读取直播时长")
        with Progress(*cols, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task(f"hashing / 计算哈希 {file.name}", total=size)
            segs = list(segment_file(file, seg_s, bitrate_bps=parse_bitrate(bitrate) if bitrate else None,
                                     duration_s=dur, progress=lambda n: bar.advance(task, n)))
        try:
            new = notarize_recording_segments(log, session, segs, subjects={"streamer_id": streamer} if streamer else None,
                                              source=file.name)
        except NotarizeConflict as exc:
            raise click.ClickException(str(exc))
        click.echo(f"{len(segs)} segments of {file.name}, {len(new)} newly logged "
                   f"(entries #{new[0].index}..#{new[-1].index}) / 共 {len(segs)} 个片段，新存证 {len(new)} 条"
                   if new else f"{len(segs)} segments, all already logged / 全部片段此前已存证")
        _publish(log, paths)


@command.command("add-claim")
@click.argument("claim_id")
@click.option("--session", required=True, help="Live session id. 直播场次。")
@click.option("--product", required=True, help="Product id. 商品编号。")
@click.option("--text", required=True, help="What was said on air. 口播原文。")
@click.option("--offset", required=True, type=float, help="Seconds from session start. 距开播秒数。")
@click.option("--streamer", help="Streamer id. 主播编号。")
@workspace_option
def add_claim(claim_id: str, session: str, product: str, text: str, offset: float, streamer: str | None,
              workspace: Path) -> None:
    """Notarize a claim said on air. 存证一条口播话术。"""
    from lashi.evidence import NotarizeConflict, notarize_claim

    with _log(workspace) as (paths, _con, log):
        try:
            e = notarize_claim(log, claim_id, session, product, text, int(offset) if offset.is_integer() else offset,
                               streamer_id=streamer)
        except NotarizeConflict as exc:
            raise click.ClickException(str(exc))
        click.echo(f"claim {claim_id} is entry #{e.index} / 话术 {claim_id} 为第 {e.index} 号条目")
        _publish(log, paths)


@command.command("add-responsibility-list")
@click.argument("product")
@click.argument("version")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--brand", help="Brand id. 品牌编号。")
@workspace_option
def add_responsibility_list(product: str, version: str, file: Path, brand: str | None, workspace: Path) -> None:
    """Notarize a product's responsibility list (JSON/YAML/text file). 存证商品的售后责任清单。"""
    from lashi.evidence import NotarizeConflict, notarize_responsibility_list

    raw = file.read_bytes()
    content: object
    if file.suffix.lower() == ".json":
        content = json.loads(raw)
    elif file.suffix.lower() in (".yaml", ".yml"):
        import yaml

        content = yaml.safe_load(raw)
    else:
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError:
            content = raw
    with _log(workspace) as (paths, _con, log):
        try:
            e = notarize_responsibility_list(log, product, version, content, brand_id=brand)
        except NotarizeConflict as exc:
            raise click.ClickException(str(exc))
        click.echo(f"responsibility list {product} v{version} is entry #{e.index} / 责任清单为第 {e.index} 号条目")
        _publish(log, paths)


@command.command()
@workspace_option
def sync(workspace: Path) -> None:
    """Notarize every recording segment and claim in the store not yet logged (idempotent).

    将数据库中尚未存证的录像片段与话术全部存证（可重复运行）。
    """
    from lashi.evidence import sync_from_store

    Progress, cols = _progress()
    with _log(workspace) as (paths, con, log):
        with Progress(*cols[:3], transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("notarizing / 存证中", total=None)
            n = sync_from_store(log, con, progress=lambda done, total: bar.update(task, completed=done, total=total))
        click.echo(f"{n} new entries, log size {log.size} / 新增 {n} 条，日志共 {log.size} 条")
        _publish(log, paths)


@command.command()
@workspace_option
def status(workspace: Path) -> None:
    """Log size, root and the latest signed head. 日志状态。"""
    from lashi.evidence import read_heads

    with _log(workspace, read_only=_paths(workspace).db.exists() and not _store()) as (paths, _con, log):
        click.echo(f"log / 日志: {log.log_id}\nentries / 条目数: {log.size}\nroot / 根哈希: {log.root().hex()}")
        heads = read_heads(paths.heads)
        if heads:
            h = heads[-1]
            click.echo(f"latest signed head / 最新签名树头: size {h.tree_size}, {h.time}, key {h.key_id} "
                       f"({len(heads)} published / 已发布 {len(heads)} 个)")
        else:
            click.echo("no signed head yet / 尚无签名树头")


@command.command()
@workspace_option
def sign(workspace: Path) -> None:
    """Sign and publish the current tree head (if the log grew). 签发当前树头。"""
    with _log(workspace) as (paths, _con, log):
        _publish(log, paths)


@command.command()
@click.argument("entry")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Bundle file (default bundle-<index>.json). 证明包文件。")
@workspace_option
def prove(entry: str, output: Path | None, workspace: Path) -> None:
    """Write a self-contained proof bundle for ENTRY (index, e.g. 42, or ref, e.g. claim/CL-1).

    为条目生成自包含的证明包（可离线验证）。
    """
    from lashi.evidence import (
        BundleError, EntryNotFound, HeadError, LogIntegrityError, make_bundle, publish_head, read_heads,
    )

    with _log(workspace) as (paths, _con, log):
        try:
            e = log.find(entry)
            heads = read_heads(paths.heads)
            head = heads[-1] if heads else None
            if head is None or head.tree_size <= e.index:
                if not paths.signing_key.exists():
                    raise click.ClickException("no signed head covers this entry and there is no signing key; run "
                                               "`lashi evidence init` / 没有覆盖该条目的签名树头")
                head = publish_head(log, paths)
            bundle = make_bundle(log, e, head, paths.load_public())
        except (EntryNotFound, LogIntegrityError, BundleError, HeadError) as exc:
            raise click.ClickException(str(exc))
    out = output or Path(f"bundle-{e.index}.json")
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"wrote {out}: entry #{e.index} ({e.kind}, {e.ref}) in the head of size {head.tree_size} / "
               f"已写出证明包")


@command.command()
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pubkey", "pubkey_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The operator's public key (PEM or base64) to pin. 运营方公钥文件。")
def verify(bundle: Path, pubkey_file: Path | None) -> None:
    """Verify a proof bundle offline (no store needed). 离线验证证明包。"""
    from lashi.evidence import load_public_key, verify_bundle

    try:
        data = json.loads(bundle.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"{bundle} is not JSON: {exc} / 证明包不是合法 JSON")
    pub = load_public_key(pubkey_file.read_text()) if pubkey_file else None
    v = verify_bundle(data, pub)
    click.echo(v.statement_zh)
    click.echo(v.statement_en)
    if not v.ok:
        sys.exit(1)


@command.command()
@click.argument("old_size", type=int)
@click.argument("new_size", type=int, required=False)
@workspace_option
def consistency(old_size: int, new_size: int | None, workspace: Path) -> None:
    """Print a consistency proof between two tree sizes (JSON). 输出两个树大小之间的一致性证明。"""
    with _log(workspace, read_only=True) as (_paths, _con, log):
        n = log.size if new_size is None else new_size
        try:
            proof = log.consistency_proof(old_size, n)
            out = {"old_size": old_size, "new_size": n, "old_root": log.root_at(old_size).hex(),
                   "new_root": log.root_at(n).hex(), "proof": [p.hex() for p in proof]}
        except ValueError as exc:
            raise click.ClickException(str(exc))
    click.echo(json.dumps(out, indent=2))


@command.command()
@click.argument("heads_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pubkey", "pubkey_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The operator's public key. 运营方公钥。")
@click.option("--state", "state_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The witness's memory (created on first use). 见证方状态文件。")
def witness(heads_file: Path, pubkey_file: Path, state_file: Path) -> None:
    """Check that each new head in a (mirrored) heads file extends the last one seen.

    见证：检查镜像的树头文件中每个新树头都与上次见到的树头一致（只增不改）。
    """
    from lashi.evidence import HeadError, WitnessState, load_public_key, read_heads, witness_file

    pub = load_public_key(pubkey_file.read_text())
    state = WitnessState.load(state_file)
    try:
        state, n = witness_file(state, read_heads(heads_file), pub)
    except HeadError as exc:
        click.echo(f"REJECTED / 拒绝: {exc}")
        sys.exit(1)
    state.save(state_file)
    h = state.head
    click.echo(f"{n} new head(s) accepted; last seen: size {h.tree_size if h else 0}"
               f"{', ' + h.time if h else ''} / 接受 {n} 个新树头")


@command.command("audit")
@workspace_option
def audit_cmd(workspace: Path) -> None:
    """Re-hash the whole stored log and check it against the published signed heads.

    审计：重新计算整个日志的哈希，并与已发布的签名树头核对。
    """
    from lashi.evidence import HeadError, audit, read_heads
    from lashi.evidence.storage import storage_for

    paths = _paths(workspace)
    try:
        heads = read_heads(paths.heads)
    except HeadError as exc:
        raise click.ClickException(str(exc))
    pub = paths.load_public() if paths.public_key.exists() else None
    con = _connect(paths, read_only=True)
    try:
        st = storage_for(con)
        total = st.entry_stats()[0]
        Progress, cols = _progress()
        with Progress(*cols[:3], transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("re-hashing / 重新计算", total=total)
            rep = audit(st, heads, pub, progress=lambda n: bar.update(task, completed=n))
    finally:
        con.close()
    click.echo(f"{rep.entries_checked} entries re-hashed, {rep.heads_checked} signed heads checked, "
               f"{rep.heads_matched} matched / 重新计算 {rep.entries_checked} 条，核对 {rep.heads_checked} 个树头")
    if pub is None:
        click.echo("warning: no public key, head signatures not checked / 警告：无公钥，未校验签名", err=True)
    if rep.ok:
        click.echo(f"OK: the stored log matches every published head; root {rep.root} / 通过：日志与全部已发布树头一致")
        return
    for p in rep.problems:
        click.echo(f"FAIL / 失败: {p.en}\n    {p.zh}")
    sys.exit(1)

