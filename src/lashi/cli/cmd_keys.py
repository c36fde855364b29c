"""`lashi keys`: API keys for the HTTP API (stored as sha256 hashes)."""
from __future__ import annotations

import click

from lashi.cli.common import store_option, workspace_option
from lashi.store import open_workspace


@click.group("keys")
def command() -> None:
    """API keys for `lashi serve` (only their SHA-256 is stored). API密钥管理。"""


@command.command("create")
@click.option("--role", required=True,
              type=click.Choice(["admin", "evaluator", "platform", "brand", "streamer", "mcn"]),
              help="admin: everything; evaluator: read all; platform/brand/streamer/mcn: own subject's cases "
                   "(an MCN also its streamers').")
@click.option("--subject", default=None, help="The subject id a platform/brand/streamer/mcn key belongs to.")
@workspace_option
@store_option
def create(role, subject, workspace, store) -> None:
    """Create a key and print it once. 创建密钥（仅显示一次）。"""
    from lashi.cases.service.store import CaseService, Invalid

    svc = CaseService(open_workspace(workspace), store=store)
    try:
        kid, key = svc.create_key(role, subject)
    except Invalid as e:
        raise click.ClickException(f"--{e.field}: {e.message}") from None
    finally:
        svc.close()
    click.echo(f"key_id: {kid}\nrole: {role}{' ' + subject if subject else ''}\nkey: {key}")
    click.echo("保存好密钥，它不会再次显示 / store the key now: it is not shown again", err=True)


@command.command("list")
@workspace_option
@store_option
def list_(workspace, store) -> None:
    """List keys (ids, roles, subjects — never the keys). 列出密钥。"""
    from lashi.cases.service.store import CaseService

    svc = CaseService(open_workspace(workspace), store=store)
    try:
        for r in svc.q("SELECT key_id, role, subject_id, created_at, revoked FROM api_keys ORDER BY created_at"):
            flag = "\trevoked" if r["revoked"] else ""
            click.echo(f"{r['key_id']}\t{r['role']}\t{r['subject_id'] or '-'}\t{r['created_at']:%Y-%m-%d %H:%M}{flag}")
    finally:
        svc.close()


@command.command("revoke")
@click.argument("key_id")
@workspace_option
@store_option
def revoke(key_id, workspace, store) -> None:
    """Revoke a key by its id. 吊销密钥。"""
    from lashi.cases.service.store import CaseService

    svc = CaseService(open_workspace(workspace), store=store)
    try:
        n = svc.q("UPDATE api_keys SET revoked = true WHERE key_id = ? RETURNING key_id", [key_id])
    finally:
        svc.close()
    if not n:
        raise click.ClickException(f"no key {key_id}")
    click.echo(f"revoked {key_id}")
