# SPDX-License-Identifier: GPL-2.0
"""sysc_spec2 - more of gen-syscalls' SPEC: the variables and argstr formats of SystemTap
4.8's sysc_*.stp (their nd2_syscall.NAME probes, the x86_64 ones since Linux 4.17) for the
clock, signal, socket, pipe and memory calls.  Same notation as gen-syscalls' SPEC:
"VAR=EXPR" in order, @I1 int_arg(1), @U1 uint_arg(1), @L1 a long or pointer argument, @S1
the string at argument 1 as 4.8's user_string_nofault() reads it; then the code that sets
argstr.  SYM_SPEC: the bodies of the symbols that an alias of another name covers (4.8's
syscall.pipe also probes pipe2, with name "pipe2").
"""

# 4.8's @_af_inet_info_u (syscalls.stpm): connect's and bind's address, by parts
AF_INET_INFO = (
    'uaddr_af = _struct_sockaddr_u_sa_family({a}, {n})\n'
    '\tif (substr(uaddr_af, 0, 7) == "AF_INET") {{\n'
    '\t\tuaddr_ip = _struct_sockaddr_u_ip_addr({a}, {n})\n'
    '\t\tuaddr_ip_port = _struct_sockaddr_u_tcp_port({a}, {n})\n'
    '\t\tif (uaddr_af == "AF_INET6") {{\n'
    '\t\t\tuaddr_ipv6_flowinfo = _struct_sockaddr_u_ipv6_flowinfo({a}, {n})\n'
    '\t\t\tuaddr_ipv6_scope_id = _struct_sockaddr_u_ipv6_scope_id({a}, {n})\n'
    '\t\t}}\n\t}}\n\t')

PIPE_ARGSTR = ('if (fildes_uaddr == 0) {{\n\t\tpipe0 = 0\n\t\tpipe1 = 0\n'
               '\t\targstr = "NULL"\n\t}} else {{\n'
               '\t\tpipe0 = _fildes_index_u(fildes_uaddr, 0)\n'
               '\t\tpipe1 = _fildes_index_u(fildes_uaddr, 1)\n'
               '\t\targstr = sprintf("[%d, %d]{fmt}", pipe0, pipe1{arg})\n\t}}')

SPEC2 = {
    # 4.8 on x86_64 since 2.6.33: sysc_mmap2.stp's nd2_syscall.mmap2, on __x64_sys_mmap
    "mmap2": (["start=@L1", "length=@L2", "prot=@L3", "prot_str=_mprotect_prot_str(prot)",
               "flags=@L4", "flags_str=_mmap_flags(flags)", "fd=@I5", "pgoffset=@L6"],
              'argstr = sprintf("%p, %u, %s, %s, %d, %d", start, length, prot_str, '
              'flags_str, fd, pgoffset)'),
    "arch_prctl": (["code=@I1", "code_str=_stp_arch_prctl_func_str(code)", "addr=@L2"],
                   'argstr = sprintf("%s, %u", code_str, addr)'),
    "iopl": (["level=@U1"], "argstr = sprint(level)"),
    "modify_ldt": (["func=@I1", "ptr_uaddr=@L2", "bytecount=@L3"],
                   'argstr = sprintf("%d, %p, %u", func, ptr_uaddr, bytecount)'),
    "connect": (["sockfd=@I1", "serv_addr_uaddr=@L2", "addrlen=@U3"],
                AF_INET_INFO.format(a="serv_addr_uaddr", n="addrlen") +
                'argstr = sprintf("%d, %s, %u", sockfd, '
                '_struct_sockaddr_u(serv_addr_uaddr, addrlen), addrlen)'),
    "bind": (["sockfd=@I1", "my_addr_uaddr=@L2", "addrlen=@I3"],
             AF_INET_INFO.format(a="my_addr_uaddr", n="addrlen") +
             'argstr = sprintf("%d, %s, %d", sockfd, '
             '_struct_sockaddr_u(my_addr_uaddr, addrlen), addrlen)'),
    "sendto": (["s=@I1", "buf_uaddr=@L2", "len=@L3", "flags=@U4", "to_uaddr=@L5",
                "tolen=@U6", "flags_str=_msg_flags_str(flags)",
                "buf=user_buffer_quoted(buf_uaddr, len, syscall_string_trunc)",
                "to_str=_struct_sockaddr_u(to_uaddr, tolen)"],
               'argstr = sprintf("%d, %s, %u, %s, %s, %u", s, buf, len, flags_str, to_str, '
               'tolen)'),
    "rt_sigaction": (["sig=@I1", "sig_str=_signal_name(sig)", "act_uaddr=@L2",
                      "act_str=_struct_sigaction_u(act_uaddr)", "oact_uaddr=@L3",
                      "sigsetsize=@L4"],
                     'argstr = sprintf("%s, {%s}, %p, %d", sig_str, act_str, oact_uaddr, '
                     'sigsetsize)'),
    "ppoll": (["fds_uaddr=@L1", "nfds=@U2", "tsp=@L3", "tsp_str=_struct_timespec_u(tsp, 1)",
               "sigmask=@L4", "sigsetsize=@L5"],
              'argstr = sprintf("%p, %u, %s, %p, %d", fds_uaddr, nfds, tsp_str, sigmask, '
              'sigsetsize)'),
    "pselect6": (["nfds=@I1", "readfds=@L2", "writefds=@L3", "exceptfds=@L4", "timeout=@L5",
                  "sigmask=@L6", "timeout_str=_struct_timespec_u(timeout, 1)"],
                 'argstr = sprintf("%d, %p, %p, %p, %s, %p", nfds, readfds, writefds, '
                 'exceptfds, timeout_str, sigmask)'),
    "rt_sigprocmask": (["how=@I1", "how_str=_sigprocmask_how_str(how)", "set_uaddr=@L2",
                        "oldset_uaddr=@L3", "set_str=_stp_sigset_u(set_uaddr)",
                        "sigsetsize=@U4"],
                       'argstr = sprintf("%s, %s, %p, %d", how_str, set_str, oldset_uaddr, '
                       'sigsetsize)'),
    "clock_gettime": (["clk_id=@I1", "clk_id_str=_get_wc_str(clk_id)", "tp_uaddr=@L2"],
                      'argstr = sprintf("%s, %p", clk_id_str, tp_uaddr)'),
    "clock_getres": (["clk_id=@I1", "clk_id_str=_get_wc_str(clk_id)", "res_uaddr=@L2"],
                     'argstr = sprintf("%s, %p", clk_id_str, res_uaddr)'),
    "clock_nanosleep": (["clk_id=@I1", "clk_id_str=_get_wc_str(clk_id)", "flags=@I2",
                         "flags_str=_stp_clock_nanosleep_flags_str(flags)", "req_uaddr=@L3",
                         "rem_uaddr=@L4", "req_str=_struct_timespec_u(req_uaddr, 1)"],
                        'argstr = sprintf("%s, %s, %s, %p", clk_id_str, flags_str, req_str, '
                        'rem_uaddr)'),
    "pipe": (["fildes_uaddr=@L1", 'flags=0', 'flag_str=""'],
             PIPE_ARGSTR.format(fmt="", arg="")),
    "getrandom": (["buf=user_string_quoted(@L1)", "buf_unquoted=@S1", "count=@L2",
                   "flags=@U3", "flags_str=_getrandom_flags_str(flags)"],
                  'argstr = sprintf("%s, %u, %s", buf, count, flags_str)'),
    "prlimit64": (["pid=@I1", "resource=@I2", "resource_str=_rlimit_resource_str(resource)",
                   "new_rlim_uaddr=@L3", "new_rlim_str=_struct_rlimit_u(new_rlim_uaddr)",
                   "old_rlim_uaddr=@L4"],
                  'argstr = sprintf("%d, %s, %s, %p", pid, resource_str, new_rlim_str, '
                  'old_rlim_uaddr)'),
    "waitid": (["which=@I1", "which_str=_waitid_which_str(which)", "pid=@I2",
                "infop_uaddr=@L3", "options=@I4", "options_str=_wait4_opt_str(options)",
                "rusage_uaddr=@L5"],
               'argstr = sprintf("%s, %d, %p, %s, %p", which_str, pid, infop_uaddr, '
               'options_str, rusage_uaddr)'),
    "sendmmsg": (["s=@I1", "mmsg_uaddr=@L2", "vlen=@U3", "flags=@U4",
                  "flags_str=_msg_flags_str(flags)"],
                 'argstr = sprintf("%d, %p, %d, %s", s, mmsg_uaddr, vlen, flags_str)'),
    "recvmmsg": (["s=@I1", "mmsg_uaddr=@L2", "vlen=@U3", "flags=@U4",
                  "flags_str=_msg_flags_str(flags)", "timeout_uaddr=@L5",
                  "timeout_str=_struct_timespec_u(timeout_uaddr, 1)"],
                 'argstr = sprintf("%d, %p, %u, %s, %s", s, mmsg_uaddr, vlen, flags_str, '
                 'timeout_str)'),
    "memfd_create": (["uname=user_string_quoted(@L1)", "uname_unquoted=@S1", "flags=@U2",
                      "flags_str=_mfd_flags_str(flags)"],
                     'argstr = sprintf("%s, %s", uname, flags_str)'),
    "sigaltstack": (["uss_uaddr=@L1", "uss_str=_stp_sigaltstack_u(uss_uaddr)",
                     "uoss_uaddr=@L2"], 'argstr = sprintf("%s, %p", uss_str, uoss_uaddr)'),
    "sysinfo": (["info_uaddr=@L1", "info_str=_struct_sysinfo_u(info_uaddr)"],
                'argstr = sprintf("%s", info_str)'),
    "gettimeofday": (["tv_uaddr=@L1", "tz_uaddr=@L2"],
                     'argstr = sprintf("%p, %p", tv_uaddr, tz_uaddr)'),
    "chroot": (["path=user_string_quoted(@L1)", "path_unquoted=@S1"], "argstr = path"),
    "setpriority": (["which=@I1", "which_str=_priority_which_str(which)", "who=@I2",
                     "prio=@I3"], 'argstr = sprintf("%s, %d, %d", which_str, who, prio)'),
    "mlock": (["addr=@L1", "len=@L2"], 'argstr = sprintf("%p, %u", addr, len)'),
    "munlock": (["addr=@L1", "len=@L2"], 'argstr = sprintf("%p, %u", addr, len)'),
    "msync": (["start=@L1", "length=@L2", "flags=@I3", "flags_str=_msync_flag_str(flags)"],
              'argstr = sprintf("%p, %u, %s", start, length, flags_str)'),
    "capset": (["header_uaddr=@L1", "data_uaddr=@L2"],
               'argstr = sprintf("%p, %p", header_uaddr, data_uaddr)'),
    "capget": (["header_uaddr=@L1", "data_uaddr=@L2"],
               'argstr = sprintf("%p, %p", header_uaddr, data_uaddr)'),
    "sched_setaffinity": (["pid=@I1", "len=@U2", "mask_uaddr=@L3"],
                          'argstr = sprintf("%d, %u, %p", pid, len, mask_uaddr)'),
    "sched_getaffinity": (["pid=@I1", "len=@U2", "mask_uaddr=@L3"],
                          'argstr = sprintf("%d, %u, %p", pid, len, mask_uaddr)'),
    "set_robust_list": (["list_head_uaddr=@L1", "len=@L2"],
                        'argstr = sprintf("%p, %u", list_head_uaddr, len)'),
    "setns": (["fd=@I1", "nstype=@I2", "nstype_str=__fork_flags(nstype)"],
              'argstr = sprintf("%d, %s", fd, nstype_str)'),
    "unshare": (["unshare_flags=@L1", "unshare_flags_str=__fork_flags(unshare_flags)"],
                "argstr = unshare_flags_str"),
    "splice": (["fd_in=@I1", "off_in=@L2", "fd_out=@I3", "off_out=@L4", "len=@L5",
                "flags=@U6", "flags_str=_stp_splice_flags_str(flags)"],
               'argstr = sprintf("%d, %p, %d, %p, %u, %s", fd_in, off_in, fd_out, off_out, '
               'len, flags_str)'),
    "timerfd_create": (["clockid=@I1", "clockid_str=_get_wc_str(clockid)", "flags=@I2",
                        "flags_str=_stp_timerfd_flags_str(flags)"],
                       'argstr = sprintf("%s, %s", clockid_str, flags_str)'),
    "timerfd_settime": (["fd=@I1", "flags=@I2", "flags_str=_stp_timerfd_flags_str(flags)",
                         "value_uaddr=@L3", "value_str=_struct_itimerspec_u(value_uaddr)",
                         "ovalue_uaddr=@L4"],
                        'argstr = sprintf("%d, %s, %s, %p", fd, flags_str, value_str, '
                        'ovalue_uaddr)'),
    "inotify_add_watch": (["fd=@I1", "mask=@U3", "mask_str=_inotify_watch_mask_str(mask)",
                           "path_uaddr=@L2", "path=user_string_quoted(path_uaddr)",
                           "path_unquoted=@S2"],
                          'argstr = sprintf("%d, %s, %s", fd, path, mask_str)'),
    "mount": (["source=user_string_quoted(@L1)", "source_unquoted=@S1",
               "target=user_string_quoted(@L2)", "target_unquoted=@S2",
               "filesystemtype=user_string_quoted(@L3)", "filesystemtype_unquoted=@S3",
               "mountflags=@L4", "mountflags_str=_mountflags_str(mountflags)",
               "data=user_string_n_quoted(@L5, syscall_string_trunc)",
               "data_unquoted=__sc_ustrn(@L5, syscall_string_trunc)"],
              'argstr = sprintf("%s, %s, %s, %s, %s", source, target, filesystemtype, '
              'mountflags_str, data)'),
}

# 4.8's folded aliases: the old call's body (the new one's is in SYM_SPEC)
SPEC2.update({
    "eventfd": (["count=@U1", "flags=0", 'flags_str="0x0"'], "argstr = sprint(count)"),
    "epoll_create": (["size=@I1", "flags=0"], "argstr = sprint(size)"),
    "inotify_init": (["flags=0"], 'argstr = ""'),
    "signalfd": (["flags=0"], 'argstr = sprintf("%d, %p, %d", @I1, @L2, @L3)'),
})

# timers, resources, scheduling policies, locks
SPEC2.update({
    "getitimer": (["which=@I1", "value_uaddr=@L2"],
                  'argstr = sprintf("%s, %p", _itimer_which_str(which), value_uaddr)'),
    "setitimer": (["which=@I1", "which_str=_itimer_which_str(which)", "value_uaddr=@L2",
                   "ovalue_uaddr=@L3", "value_str=_struct_itimerval_u(value_uaddr)"],
                  'argstr = sprintf("%s, %s, %p", which_str, value_str, ovalue_uaddr)'),
    "getrusage": (["who=@I1", "who_str=_rusage_who_str(who)", "usage_uaddr=@L2"],
                  'argstr = sprintf("%s, %p", who_str, usage_uaddr)'),
    "flock": (["fd=@I1", "operation=@I2"],
              'argstr = sprintf("%d, %s", fd, _flock_cmd_str(operation))'),
    "mlockall": (["flags=@I1", "flags_str=_mlockall_flags_str(flags)"], "argstr = flags_str"),
    "sched_get_priority_max": (["policy=@I1", "policy_str=_sched_policy_str(policy)"],
                               "argstr = policy_str"),
    "sched_get_priority_min": (["policy=@I1", "policy_str=_sched_policy_str(policy)"],
                               "argstr = policy_str"),
    "sched_setscheduler": (["pid=@I1", "policy=@I2", "policy_str=_sched_policy_str(policy)",
                            "p_uaddr=@L3"],
                           'argstr = sprintf("%d, %s, %p", pid, policy_str, p_uaddr)'),
    "umount": (["target=user_string_quoted(@L1)", "target_unquoted=@S1", "flags=@I2",
                "flags_str=_umountflags_str(flags)"],
               'argstr = sprintf("%s, %s", target, flags_str)'),
    "rt_sigsuspend": (["set_uaddr=@L1", "sigsetsize=@L2", "set_str=_stp_sigset_u(set_uaddr)"],
                      'argstr = sprintf("%s, %u", set_str, sigsetsize)'),
    "clock_settime": (["clk_id=@I1", "clk_id_str=_get_wc_str(clk_id)", "tp_uaddr=@L2",
                       "tp_uaddr_str=_struct_timespec_u(tp_uaddr, 1)"],
                      'argstr = sprintf("%s, %s", clk_id_str, tp_uaddr_str)'),
    "timer_create": (["clockid=@I1", "clockid_str=_get_wc_str(clockid)", "evp_uaddr=@L2",
                      "timerid_uaddr=@L3"],
                     'argstr = sprintf("%s, %p, %p", clockid_str, evp_uaddr, timerid_uaddr)'),
    "timer_gettime": (["timerid=@I1", "value_uaddr=@L2"],
                      'argstr = sprintf("%d, %p", timerid, value_uaddr)'),
    "timer_settime": (["timerid=@I1", "flags=@I2", "value_uaddr=@L3", "ovalue_uaddr=@L4",
                       "value_str=_struct_itimerspec_u(value_uaddr)"],
                      'argstr = sprintf("%d, %d, %s, %p", timerid, flags, value_str, '
                      'ovalue_uaddr)'),
    "times": (["buf_uaddr=@L1", "buf_str=_struct_tms_u(buf_uaddr)"],
              'argstr = sprintf("%s", buf_str)'),
})

# file advice and allocation, mlock2, shmdt
SPEC2.update({
    "fadvise64": (["fd=@I1", "offset=@L2", "len=@L3", "advice=@I4",
                   "advice_str=_fadvice_advice_str(advice)"],
                  'argstr = sprintf("%d, %d, %d, %s", fd, offset, len, '
                  '_fadvice_advice_str(advice))'),
    "fallocate": (["fd=@I1", "mode=@U2", "mode_str=_stp_fallocate_mode_str(mode)",
                   "offset=@L3", "len=@L4"],
                  'argstr = sprintf("%d, %s, %#x, %u", fd, mode_str, offset, len)'),
    "mlock2": (["addr=@L1", "len=@L2", "flags=@I3", "flags_str=_stp_mlock2_str(flags)"],
               'argstr = sprintf("%p, %u, %s", addr, len, flags_str)'),
    "shmdt": (["shmaddr_uaddr=@L1"], 'argstr = sprintf("%p", shmaddr_uaddr)'),
})

# the symbols an alias of another name covers: their sets, their argstr code and, when it
# depends on the arguments, their return probe's name (@entry of an expression)
SYM_SPEC = {
    "eventfd2": (['name="eventfd2"', "count=@U1", "flags=@I2",
                  "flags_str=_eventfd2_flag_str(flags)"],
                 'argstr = sprintf("%u, %s", count, flags_str)'),
    "epoll_create1": (["size=0", "flags=@I1"],
                      'if (flags == 0) {\n\t\tname = "epoll_create"\n\t\targstr = sprint(size)\n'
                      '\t} else {\n\t\tname = "epoll_create1"\n'
                      '\t\targstr = _epoll_create1_flag_str(flags)\n\t}',
                      '@entry(@I1) == 0 ? "epoll_create" : "epoll_create1"'),
    "inotify_init1": (['name="inotify_init1"', "flags=@I1"],
                      "argstr = _inotify_init1_flag_str(flags)"),
    "signalfd4": (["flags=@I4"],
                  'if (flags == 0) {\n\t\tname = "signalfd"\n'
                  '\t\targstr = sprintf("%d, %p, %d", @I1, @L2, @L3)\n\t} else {\n'
                  '\t\tname = "signalfd4"\n\t\targstr = sprintf("%d, %p, %d, %s", @I1, @L2, '
                  '@L3,\n\t\t\t\t _signalfd4_flags_str(flags))\n\t}',
                  '@entry(@I4) == 0 ? "signalfd" : "signalfd4"'),
    "pipe2": (['name="pipe2"', "flags=@I2", "flag_str=_sys_pipe2_flag_str(flags)",
               "fildes_uaddr=@L1"],
              PIPE_ARGSTR.format(fmt=", %s", arg=", flag_str")),
}

# aliases that cover symbols of other names, as 4.8's do
RENAME2 = {"mmap": "mmap2", "pipe2": "pipe", "eventfd2": "eventfd",
           "epoll_create1": "epoll_create", "inotify_init1": "inotify_init",
           "signalfd4": "signalfd"}

# not in x86_64's 64-bit table, yet 4.8 defines these aliases there too (its scripts may
# name them); they are kept
LEGACY48 = {"fstatfs64", "llseek", "nice", "recv", "send", "sgetmask", "signal", "sigpending",
            "sigprocmask", "sigsuspend", "ssetmask", "statfs64", "stime", "umount", "waitpid"}

# 4.8's sysc_*.stp, converted from their _SYSCALL_NAME_REGARGS and _ARGSTR macros (the
# x86_64 reads of nd2_syscall.NAME) and checked against 4.8's stap -L
SPEC3 = {
    "acct": (["filename=user_string_quoted(@L1)", "filename_unquoted=@S1"],
        'argstr = filename'),
    "add_key": (["type_uaddr=@L1", "description_uaddr=@L2", "payload_uaddr=@L3", "plen=@L4",
        "ringid=@I5"],
        'argstr = sprintf("%s, %s, %s, %u, %d", user_string_quoted(type_uaddr), '
        'user_string_quoted(description_uaddr), user_buffer_quoted(payload_uaddr, plen, '
        'syscall_string_trunc), plen, ringid)'),
    "flistxattr": (["filedes=@I1", "list_uaddr=@L2", "size=@L3"],
        'argstr = sprintf("%d, %p, %u", filedes, list_uaddr, size)'),
    "fremovexattr": (["filedes=@I1", "name_uaddr=@L2", "name_str=user_string_quoted(@L2)",
        "name_str_unquoted=@S2"],
        'argstr = sprintf("%d, %s", filedes, name_str)'),
    "fstatfs64": (["fd=@I1", "sz=@L2", "buf_uaddr=@L3"],
        'argstr = sprintf("%d, %u, %p", fd, sz, buf_uaddr)'),
    "futimesat": (["dirfd=@I1", "dirfd_str=_dfd_str(dirfd)", "filename_uaddr=@L2",
        "filename=user_string_quoted(filename_uaddr)", "filename_unquoted=@S2", "tvp_uaddr=@L3",
        "tvp_str=_struct_timeval_u(tvp_uaddr, 2)"],
        'argstr = sprintf("%s, %s, %s", dirfd_str, filename, tvp_str)'),
    "get_robust_list": (["pid=@I1", "list_head_uaddr=@L2", "len_uaddr=@L3"],
        'argstr = sprintf("%d, %p, %p", pid, list_head_uaddr, len_uaddr)'),
    "getcpu": (["cpu_uaddr=@L1", "node_uaddr=@L2", "tcache_uaddr=@L3"],
        'argstr = sprintf("%p, %p, %p", cpu_uaddr, node_uaddr, tcache_uaddr)'),
    "getgroups": (["size=@I1", "list_uaddr=@L2"],
        'argstr = sprintf("%d, %p", size, list_uaddr)'),
    "getresgid": (["rgid_uaddr=@L1", "egid_uaddr=@L2", "sgid_uaddr=@L3"],
        'argstr = sprintf("%p, %p, %p", rgid_uaddr, egid_uaddr, sgid_uaddr)'),
    "getresuid": (["ruid_uaddr=@L1", "euid_uaddr=@L2", "suid_uaddr=@L3"],
        'argstr = sprintf("%p, %p, %p", ruid_uaddr, euid_uaddr, suid_uaddr)'),
    "io_cancel": (["ctx_id=@L1", "iocb_uaddr=@L2", "result_uaddr=@L3"],
        'argstr = sprintf("%u, %p, %p", ctx_id, iocb_uaddr, result_uaddr)'),
    "io_setup": (["maxevents=@U1", "ctxp_uaddr=@L2"],
        'argstr = sprintf("%u, %p", maxevents, ctxp_uaddr)'),
    "ioperm": (["from=@L1", "num=@L2", "turn_on=@U3"],
        'argstr = sprintf("%#x, %#x, %#x", from, num, turn_on)'),
    "listxattr": (["path_uaddr=@L1", "path=user_string_quoted(path_uaddr)", "path_unquoted=@S1",
        "list_uaddr=@L2", "size=@L3"],
        'argstr = sprintf("%s, %p, %u", path, list_uaddr, size)'),
    "llistxattr": (["path_uaddr=@L1", "path=user_string_quoted(path_uaddr)", "path_unquoted=@S1",
        "list_uaddr=@L2", "size=@L3"],
        'argstr = sprintf("%s, %p, %u", path, list_uaddr, size)'),
    "llseek": (["fd=@I1", "offset_high=@L2", "offset_low=@L3", "result_uaddr=@L4", "whence=@U5",
        "whence_str=_seek_whence_str(whence)"],
        'argstr = sprintf("%d, 0x%x, 0x%x, %p, %s", fd, offset_high, offset_low, result_uaddr, '
        'whence_str)'),
    "memfd_secret": (["flags=@U1", "flags_str=_mfd_flags_str(@U1)"],
        'argstr = sprintf("%s", flags_str)'),
    "migrate_pages": (["pid=@I1", "maxnode=@L2", "old_nodes=@L3", "new_nodes=@L4"],
        'argstr = sprintf("%d, %u, %p, %p", pid, maxnode, old_nodes, new_nodes)'),
    "mincore": (["start=@L1", "length=@L2", "vec_uaddr=@L3"],
        'argstr = sprintf("%p, %u, %p", start, length, vec_uaddr)'),
    "mq_getsetattr": (["mqdes=@I1", "u_mqstat_uaddr=@L2", "u_omqstat_uaddr=@L3"],
        'argstr = sprintf("%d, %p, %p", mqdes, u_mqstat_uaddr, u_omqstat_uaddr)'),
    "mq_notify": (["mqdes=@I1", "notification_uaddr=@L2"],
        'argstr = sprintf("%d, %p", mqdes, notification_uaddr)'),
    "mq_unlink": (["u_name_uaddr=@L1", "u_name=user_string_quoted(u_name_uaddr)",
        "u_name_unquoted=@S1"],
        'argstr = u_name'),
    "name_to_handle_at": (["dfd=@I1", "dfd_str=_dfd_str(dfd)", "pathname=user_string_quoted(@L2)",
        "pathname_unquoted=@S2", "handle_uaddr=@L3", "mnt_id_uaddr=@L4", "flags=@I5",
        "flags_str=_at_flag_str(flags)"],
        'argstr = sprintf("%s, %s, %p, %p, %s", dfd_str, pathname, handle_uaddr, mnt_id_uaddr, '
        'flags_str)'),
    "nice": (["inc=@I1"],
        'argstr = sprintf("%d", inc)'),
    "open_by_handle_at": (["mount_dfd=@I1", "mount_dfd_str=_dfd_str(mount_dfd)",
        "handle_uaddr=@L2", "flags=@I3", "flags_str=_sys_open_flag_str(flags)"],
        'argstr = sprintf("%s, %p, %s", mount_dfd_str, handle_uaddr, flags_str)'),
    "personality": (["persona=@U1"],
        'argstr = sprintf("%#x", persona)'),
    "pivot_root": (["new_root_str=user_string_quoted(@L1)", "new_root_str_unquoted=@S1",
        "old_root_str=user_string_quoted(@L2)", "old_root_str_unquoted=@S2"],
        'argstr = sprintf("%s, %s", new_root_str, old_root_str)'),
    "pkey_mprotect": (["addr=@L1", "len=@L2", "prot=@L3", "prot_str=_mprotect_prot_str(prot)",
        "pkey=@I4"],
        'argstr = sprintf("%p, %u, %s, %d", addr, len, prot_str, pkey)'),
    "process_vm_readv": (["pid=@I1", "local_iov_uaddr=@L2", "liovcnt=@L3", "remote_iov_uaddr=@L4",
        "riovcnt=@L5", "flags=@L6"],
        'argstr = sprintf("%d, %p, %u, %p, %u, %u", pid, local_iov_uaddr, liovcnt, '
        'remote_iov_uaddr, riovcnt, flags)'),
    "process_vm_writev": (["pid=@I1", "local_iov_uaddr=@L2", "liovcnt=@L3", "remote_iov_uaddr=@L4",
        "riovcnt=@L5", "flags=@L6"],
        'argstr = sprintf("%d, %p, %u, %p, %u, %u", pid, local_iov_uaddr, liovcnt, '
        'remote_iov_uaddr, riovcnt, flags)'),
    "remap_file_pages": (["start=@L1", "size=@L2", "prot=@L3", "prot_str=_mprotect_prot_str(prot)",
        "pgoff=@L4", "flags=@L5", "flags_str=_mmap_flags(flags)"],
        'argstr = sprintf("%p, %p, %s, %p, %s", start, size, prot_str, pgoff, flags_str)'),
    "removexattr": (["path=user_string_quoted(@L1)", "path_unquoted=@S1",
        "name_str=user_string_quoted(@L2)", "name_str_unquoted=@S2"],
        'argstr = sprintf("%s, %s", path, name_str)'),
    "request_key": (["type_uaddr=@L1", "type_str=user_string_quoted(type_uaddr)",
        "type_str_unquoted=@S1", "description_uaddr=@L2",
        "description_str=user_string_quoted(description_uaddr)", "description_str_unquoted=@S2",
        "callout_info_uaddr=@L3", "destringid=@I4"],
        'argstr = sprintf("%s, %s, %p, %d", type_str, description_str, callout_info_uaddr, '
        'destringid)'),
    "rt_sigpending": (["set_uaddr=@L1", "sigsetsize=@L2"],
        'argstr = sprintf("%p, %u", set_uaddr, sigsetsize)'),
    "sched_getparam": (["pid=@I1", "p_uaddr=@L2"],
        'argstr = sprintf("%d, %p", pid, p_uaddr)'),
    "sched_rr_get_interval": (["pid=@I1", "tp_uaddr=@L2"],
        'argstr = sprintf("%d, %p", pid, tp_uaddr)'),
    "sched_setparam": (["pid=@I1", "p_uaddr=@L2"],
        'argstr = sprintf("%d, %p", pid, p_uaddr)'),
    "semtimedop": (["semid=@I1", "sops_uaddr=@L2", "nsops=@U3", "timeout_uaddr=@L4",
        "timeout_str=_struct_timespec_u(timeout_uaddr, 1)"],
        'argstr = sprintf("%d, %p, %u, %s", semid, sops_uaddr, nsops, timeout_str)'),
    "setfsgid": (["fsgid=@I1"],
        'argstr = sprint(fsgid)'),
    "setfsuid": (["fsuid=@I1"],
        'argstr = sprint(fsuid)'),
    "setgroups": (["size=@I1", "list_uaddr=@L2"],
        'argstr = sprintf("%d, %p", size, list_uaddr)'),
    "sethostname": (["hostname_uaddr=@L1", "name_str=user_string_quoted(hostname_uaddr)",
        "name_str_unquoted=@S1", "len=@I2"],
        'argstr = sprintf("%s, %d", name_str, len)'),
    "setrlimit": (["resource=@U1", "resource_str=_rlimit_resource_str(resource)", "rlim_uaddr=@L2",
        "rlim_str=_struct_rlimit_u(rlim_uaddr)"],
        'argstr = sprintf("%s, %s", resource_str, rlim_str)'),
    "sigpending": (["set=@L1"],
        'argstr = sprintf("%p", set)'),
    "statfs64": (["path=user_string_quoted(@L1)", "path_unquoted=@S1", "sz=@L2", "buf_uaddr=@L3"],
        'argstr = sprintf("%s, %u, %p", path, sz, buf_uaddr)'),
    "swapoff": (["path_uaddr=@L1", "path=user_string_quoted(path_uaddr)", "path_unquoted=@S1"],
        'argstr = path'),
    "syslog": (["type=@I1", "bufp_uaddr=@L2", "len=@I3"],
        'argstr = sprintf("%d, %p, %d", type, bufp_uaddr, len)'),
    "time": (["t_uaddr=@L1"],
        'argstr = sprintf("%p", t_uaddr)'),
    "timer_delete": (["timerid=@I1"],
        'argstr = sprint(timerid)'),
    "timer_getoverrun": (["timerid=@I1"],
        'argstr = sprint(timerid)'),
    "timerfd_gettime": (["fd=@I1", "value_uaddr=@L2"],
        'argstr = sprintf("%d, %p", fd, value_uaddr)'),
    "uselib": (["library_uaddr=@L1", "library=user_string_quoted(library_uaddr)",
        "library_unquoted=@S1"],
        'argstr = library'),
    "ustat": (["dev=@U1", "ubuf_uaddr=@L2"],
        'argstr = sprintf("%u, %p", dev, ubuf_uaddr)'),
    "utimes": (["filename_uaddr=@L1", "filename=user_string_quoted(filename_uaddr)",
        "filename_unquoted=@S1", "tvp_uaddr=@L2", "tvp_uaddr_str=_struct_timeval_u(tvp_uaddr, 2)"],
        'argstr = sprintf("%s, %s", filename, tvp_uaddr_str)'),
    "vmsplice": (["fd=@I1", "iov=@L2", "nr_segs=@L3", "flags=@U4",
        "flags_str=_stp_splice_flags_str(flags)"],
        'argstr = sprintf("%d, %p, %u, %s", fd, iov, nr_segs, flags_str)'),
    "waitpid": (["pid=@I1", "status_uaddr=@L2", "options=@I3",
        "options_str=_wait4_opt_str(options)"],
        'argstr = sprintf("%d, %p, %s", pid, status_uaddr, options_str)'),
}
