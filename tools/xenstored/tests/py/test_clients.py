# SPDX-License-Identifier: Apache-2.0
"""Debian's xenstore-utils and python3-pyxs, unmodified, against the daemon's Unix socket."""
import errno
import subprocess
import time

import pytest
from pyxs import PyXSError

from conftest import (XS_CONTROL, XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_READ, XS_RELEASE,
                      XS_SET_PERMS, XS_TRANSACTION_END, XS_TRANSACTION_START, XS_WRITE)


def test_xenstore_write_then_read_returns_value(daemon):
    daemon.run("xenstore-write", "/vm/a", "hello", "/vm/b", "world")
    assert daemon.run("xenstore-read", "/vm/a").stdout == b"hello\n"
    assert daemon.run("xenstore-read", "/vm/b").stdout == b"world\n"


def test_xenstore_read_of_missing_node_fails(daemon):
    r = daemon.run("xenstore-read", "/nope", check=False)
    assert r.returncode != 0


def test_xenstore_ls_shows_tree_and_list_shows_children_in_creation_order(daemon):
    for k in ["z", "a", "m"]:
        daemon.run("xenstore-write", "/dir/" + k, k.upper())
    assert daemon.run("xenstore-list", "/dir").stdout == b"z\na\nm\n"
    out = daemon.run("xenstore-ls", "/dir").stdout.decode()
    assert 'z = "Z"' in out and 'a = "A"' in out and 'm = "M"' in out


def test_xenstore_exists_reports_presence_by_exit_code(daemon):
    daemon.run("xenstore-write", "/here", "1")
    assert daemon.run("xenstore-exists", "/here", check=False).returncode == 0
    assert daemon.run("xenstore-exists", "/gone", check=False).returncode != 0


def test_xenstore_rm_removes_subtree(daemon):
    daemon.run("xenstore-write", "/t/a/b/c", "1", "/t/x", "2")
    daemon.run("xenstore-rm", "/t/a")
    assert daemon.run("xenstore-list", "/t").stdout == b"x\n"
    assert daemon.run("xenstore-exists", "/t/a/b/c", check=False).returncode != 0


def test_xenstore_chmod_sets_permissions_shown_by_ls_p(daemon):
    daemon.run("xenstore-write", "/p/node", "v")
    daemon.run("xenstore-chmod", "/p/node", "b3", "r5", "n7")
    out = daemon.run("xenstore-ls", "-p", "/p").stdout.decode()
    assert "(b3,r5,n7)" in out, out


def test_large_directory_is_listed_whole_through_directory_part(daemon):
    # 300 children of 20 bytes exceed one 4096-byte reply: libxenstore falls back on E2BIG.
    c = daemon.client()
    names = [("child-%015d" % i).encode() for i in range(300)]
    c.transaction()
    for n in names:
        c.write(b"/big/" + n, b"")
    c.commit()
    out = daemon.run("xenstore-list", "/big").stdout.split()
    assert out == names
    c.close()


def test_xenstore_watch_reports_initial_event_then_changes(daemon):
    w = subprocess.Popen(["xenstore-watch", "-n", "3", "/w"], env=daemon.env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    daemon.run("xenstore-write", "/w/one", "1")
    daemon.run("xenstore-rm", "/w")
    out, err = w.communicate(timeout=10)
    assert out.split() == [b"/w", b"/w/one", b"/w"], (out, err)


def test_pyxs_read_write_list_and_error_names(daemon):
    c = daemon.client()
    c.write(b"/py/k", b"v 1")
    assert c.read(b"/py/k") == b"v 1"
    assert c.list(b"/py") == [b"k"]
    with pytest.raises(PyXSError) as e:
        c.read(b"/py/missing")
    assert e.value.args[0] == errno.ENOENT
    c.mkdir(b"/py/empty")
    assert c.read(b"/py/empty") == b""
    c.delete(b"/py/never-was")  # missing child of an existing node: OK, as in Xen
    with pytest.raises(PyXSError) as e:
        c.delete(b"/nowhere/at/all")
    assert e.value.args[0] == errno.ENOENT
    c.close()


def test_pyxs_permissions_round_trip(daemon):
    c = daemon.client()
    c.write(b"/perm", b"")
    c.set_perms(b"/perm", [b"b4", b"r9"])
    assert c.get_perms(b"/perm") == [b"b4", b"r9"]
    c.close()


def test_malformed_permission_string_is_einval(daemon, raw):
    r = raw()
    r.call(XS_WRITE, b"/perm\x00")
    for bad in (b"x4\x00", b"r\x00", b"r-1\x00", b"b99999\x00", b"r1"):
        assert r.call(XS_SET_PERMS, b"/perm\x00" + bad)[3] == b"EINVAL\x00", bad


def test_children_inherit_parent_permissions(daemon):
    c = daemon.client()
    c.write(b"/inh", b"")
    c.set_perms(b"/inh", [b"n0", b"r3"])
    c.write(b"/inh/kid/grandkid", b"x")
    assert c.get_perms(b"/inh/kid/grandkid") == [b"n0", b"r3"]
    c.close()


def test_pyxs_transaction_commits_atomically(daemon):
    a, b = daemon.client(), daemon.client()
    a.transaction()
    a.write(b"/tx/x", b"1")
    a.write(b"/tx/y", b"2")
    with pytest.raises(PyXSError):
        b.read(b"/tx/x")  # not visible before commit
    assert a.commit() is True
    assert b.read(b"/tx/x") == b"1" and b.read(b"/tx/y") == b"2"
    a.close()
    b.close()


def test_conflicting_transaction_loses_with_eagain(daemon):
    a, b = daemon.client(), daemon.client()
    a.write(b"/c/n", b"0")
    a.transaction()
    assert a.read(b"/c/n") == b"0"
    b.write(b"/c/n", b"1")  # commits first
    a.write(b"/c/n", b"2")
    assert a.commit() is False  # pyxs turns EAGAIN into False
    assert b.read(b"/c/n") == b"1"
    a.close()
    b.close()


def test_aborted_transaction_leaves_no_trace(daemon):
    c = daemon.client()
    c.transaction()
    c.write(b"/ab/x", b"1")
    c.rollback()
    assert not c.exists(b"/ab")
    c.close()


def test_pyxs_watch_fires_for_descendants_with_token(daemon):
    c, w = daemon.client(), daemon.client()
    with w.monitor() as m:
        m.watch(b"/mon", b"tok")
        ev = next(m.wait())
        assert (ev.path, ev.token) == (b"/mon", b"tok")
        c.write(b"/mon/a/b", b"1")
        ev = next(m.wait())
        assert (ev.path, ev.token) == (b"/mon/a/b", b"tok")
        m.unwatch(b"/mon", b"tok")
        c.write(b"/mon/a/c", b"1")
        c.write(b"/unrelated", b"1")
    c.close()
    w.close()


def test_conflict_reply_is_the_eagain_error_name(raw):
    a, b = raw(), raw()
    a.call(XS_WRITE, b"/c\x000")
    tx = int(a.call(XS_TRANSACTION_START, b"\x00")[3].rstrip(b"\x00"))
    assert a.call(XS_READ, b"/c\x00", tx_id=tx)[3] == b"0"
    b.call(XS_WRITE, b"/c\x001")
    a.call(XS_WRITE, b"/c\x002", tx_id=tx)
    assert a.call(XS_TRANSACTION_END, b"T\x00", tx_id=tx)[:4:3] == (XS_ERROR, b"EAGAIN\x00")
    assert a.call(XS_READ, b"/c\x00")[3] == b"1"


def test_domain_path_and_introduce_release_fire_special_watches(daemon, raw):
    c, w = daemon.client(), daemon.client()
    r = raw()
    assert c.get_domain_path(7) == b"/local/domain/7"
    assert c.is_domain_introduced(7) is False
    with w.monitor() as m:
        m.watch(b"@introduceDomain", b"i")
        m.watch(b"@releaseDomain", b"r")
        assert next(m.wait()).path == b"@introduceDomain"
        assert next(m.wait()).path == b"@releaseDomain"
        c.introduce_domain(7, 1234, 5)
        assert next(m.wait()) == (b"@introduceDomain", b"i")
        assert c.is_domain_introduced(7) is True
        assert r.call(XS_RELEASE, b"7\x00")[3] == b"OK\x00"  # pyxs refuses off Xen
        assert next(m.wait()) == (b"@releaseDomain", b"r")
    assert c.is_domain_introduced(7) is False
    c.close()
    w.close()


def test_unknown_and_server_only_types_get_enosys(raw):
    r = raw()
    for typ in (20, 23, 99, 0xffff, 15, 16):
        t, req, tx, payload = r.call(typ, b"x\x00", req_id=typ)
        assert (t, req, payload) == (XS_ERROR, typ, b"ENOSYS\x00")
    t, _, _, payload = r.call(XS_IS_DOMAIN_INTRODUCED, b"0\x00")
    assert payload == b"T\x00"


def test_control_lists_and_sets_quotas(raw):
    # The bytes xenstore-control sends (its Debian wrapper needs the Xen hypervisor tools).
    r = raw()
    out = r.call(XS_CONTROL, b"quota\x00")[3].decode()
    assert "nodes" in out and "1000" in out and "watches" in out and "128" in out
    assert r.call(XS_CONTROL, b"quota\x00nodes\x002000\x00")[3] == b"OK\x00"
    assert "2000" in r.call(XS_CONTROL, b"quota\x00")[3].decode()
    assert r.call(XS_CONTROL, b"check\x00")[3] == b"OK\x00"
    assert r.call(XS_CONTROL, b"no-such-command\x00")[3] == b"EINVAL\x00"
