"""What the teacher's commands (the gradebook, its intake, Gradescope's run_autograder) say, in English and Chinese.

:data:`MESSAGES` are the reasons a submission could not be graded at all: they become the failure
message of every check in its row, with their key. :data:`NOTES` are everything else: notes on a
row (what was merged, unpacked or skipped), and the lines the gradebook prints around its table.
Both are rendered by :func:`grader.messages.render`, the kit's one text system.
"""

from __future__ import annotations

from typing import Any

from grader import messages

MESSAGES: dict[str, dict[str, str]] = messages.define(__name__, {
    "not_a_zip": {
        "en": "{name} is not a zip archive, so nothing in it could be graded. Ask for it again as a .zip file (or put the exNN_*.py files in a folder).",
        "zh": "{name} 不是 zip 压缩包，所以其中的内容都无法评分。请重新以 .zip 文件提交（或把 exNN_*.py 文件放在一个文件夹里）。",
    },
    "not_a_zip_but": {
        "en": "{name} is not a zip archive (it is a {kind} file), so nothing in it could be graded. Ask for it again as a .zip file (or put the exNN_*.py files in a folder).",
        "zh": "{name} 不是 zip 压缩包（它是 {kind} 文件），所以其中的内容都无法评分。请重新以 .zip 文件提交（或把 exNN_*.py 文件放在一个文件夹里）。",
    },
    "empty_upload": {
        "en": "{name} is empty (0 bytes), so there is nothing to grade. Ask for it again.",
        "zh": "{name} 是空文件（0 字节），没有可评分的内容。请重新提交。",
    },
    "zip_unreadable": {
        "en": "{name} could not be extracted ({error}), so nothing in it could be graded. Ask for it again as a plain .zip file.",
        "zh": "{name} 无法解压（{error}），所以其中的内容都无法评分。请重新以普通的 .zip 文件提交。",
    },
    "folder_unreadable": {
        "en": "{name} could not be read ({error}), so nothing in it could be graded.",
        "zh": "无法读取 {name}（{error}），所以其中的内容都无法评分。",
    },
    "no_result": {
        "en": "The grading of {name} ended without a report ({how}). {detail}",
        "zh": "{name} 的评分没有留下报告就结束了（{how}）。{detail}",
    },
})

NOTES: dict[str, dict[str, str]] = messages.define(__name__, {
    # Notes on one learner's row: what the intake did with their files.
    "graded_subfolder": {"en": "graded the modules in {folder}", "zh": "评分的是 {folder} 里的模块"},
    "several_folders": {"en": "exNN modules found in {count} folders: {folders}",
                        "zh": "在 {count} 个文件夹里都找到了 exNN 模块：{folders}"},
    "no_modules": {"en": "no exNN_*.py module found{files}", "zh": "没有找到 exNN_*.py 模块{files}"},
    "skipped_members": {"en": "skipped {count} unsafe path(s) in the zip: {names}",
                        "zh": "跳过了压缩包里 {count} 个不安全的路径：{names}"},
    "layout": {"en": "{layout} export: merged {count} file(s) or folder(s): {names}",
               "zh": "{layout} 导出：合并了 {count} 个文件或文件夹：{names}"},
    "unpacked": {"en": "unpacked {name}", "zh": "解压了 {name}"},
    "unpack_failed": {"en": "could not unpack {name}: {reason}", "zh": "无法解压 {name}：{reason}"},
    "late": {"en": "submitted late (the LMS marked it so)", "zh": "迟交（学习平台如此标注）"},
    "renamed_upload": {"en": "graded {taken} as {module} (the LMS renamed a re-upload); left out {left}",
                       "zh": "把 {taken} 当作 {module} 评分（学习平台给重新上传的文件改了名）；未采用 {left}"},
    "online_text_left_out": {"en": "left out the online text (there is nothing in it to grade)",
                             "zh": "未评分在线文本（其中没有可评分的内容）"},
    "feedback_left_out": {"en": "left out the teacher's feedback folder(s): {names}",
                          "zh": "未评分教师的反馈文件夹：{names}"},
    "receipt_read": {"en": "Blackboard receipt: {who}", "zh": "Blackboard 回执：{who}"},
    "older_attempts": {"en": "graded the attempt of {taken}; left out the earlier attempt(s) of {left}",
                       "zh": "评分的是 {taken} 的提交；未采用更早的提交：{left}"},
    "named_with_id": {"en": "another learner has the same name: this row carries the LMS id {id}",
                      "zh": "另一位学习者同名：此行名称附上了学习平台的编号 {id}"},
    "repository_prefix": {"en": "GitHub Classroom repository {repo}", "zh": "GitHub Classroom 仓库 {repo}"},
    # What happened to the grader of one submission.
    "no_sandbox": {"en": "graded without the sandbox (see the grader's log): {held}",
                   "zh": "未在沙箱中评分（见评分日志）：{held}"},
    # What held instead, joined into no_sandbox's {held}: read from the grader's stderr (grader.grading.sandbox).
    "held_limits": {"en": "limits and tamper evidence held", "zh": "资源限制和篡改检测有效"},
    "held_no_network": {"en": "no network (seccomp refused every socket but a local one)",
                        "zh": "无网络（seccomp 拒绝了本地以外的所有套接字）"},
    "held_another_user": {"en": "its code ran as an unprivileged user of its own (homes, results and the grader's "
                                "files out of its reach)",
                          "zh": "其代码以独立的无特权用户运行（主目录、结果和评分程序的文件均无法触及）"},
    "not_isolated_network": {"en": "the network was not isolated", "zh": "网络未隔离"},
    "not_isolated_files": {"en": "files and home were not isolated", "zh": "文件和主目录未隔离"},
    "not_isolated_shared": {"en": "/tmp and what every user may read were not isolated",
                            "zh": "/tmp 和所有用户可读的文件未隔离"},
    "tampering": {"en": "tampering: its code reached into the grader in {exercises} (those get 0 points)",
                  "zh": "篡改：它的代码在 {exercises} 中试图干预评分程序（这些练习得 0 分）"},
    "timed_out": {"en": "stopped after {seconds:.0f} s: the checks it had not reached count as failed",
                  "zh": "{seconds:.0f} 秒后被停止：尚未检查的项目记为未通过"},
    "killed": {"en": "its grader was killed (signal {signal}) before it finished: the checks it had not reached count as failed",
               "zh": "它的评分进程在完成前被结束了（信号 {signal}）：尚未检查的项目记为未通过"},
    "crashed": {"en": "its grader failed (exit code {exitcode}): {detail}",
                "zh": "它的评分进程出错了（退出码 {exitcode}）：{detail}"},
    "how_timeout": {"en": "stopped after {seconds:.0f} s", "zh": "{seconds:.0f} 秒后被停止"},
    "how_exit": {"en": "exit code {exitcode}", "zh": "退出码 {exitcode}"},
    # The gradebook's lines around its table.
    "header": {"en": "Gradebook of {folder}: {count} submission(s), start method {method}, seed {seed}, {jobs} at once",
               "zh": "{folder} 的成绩册：{count} 份提交，启动方式 {method}，随机种子 {seed}，同时评 {jobs} 份"},
    "expanded": {"en": "{name} is a whole class export: graded each learner in it", "zh": "{name} 是整个班级的导出：逐一评分了其中的每位学习者"},
    "ignored": {"en": "Not submissions (neither a folder nor a .zip), left out: {names}",
                "zh": "以下不是提交（既不是文件夹也不是 .zip），已略过：{names}"},
    "not_graded": {"en": "NOT GRADED: files of {count} learner(s) were found but could not be graded:",
                   "zh": "未评分：找到了 {count} 位学习者的文件，但无法评分："},
    "not_graded_line": {"en": "  {name}: {why}", "zh": "  {name}：{why}"},
    "only_text": {"en": "submitted only online text, no files: no grade row", "zh": "只提交了在线文本，没有文件：没有成绩行"},
    "loose_module": {"en": "an exercise module lying loose in the folder, belonging to no learner",
                     "zh": "散放在文件夹里、不属于任何学习者的练习模块"},
    "row_done": {"en": "graded {name}: {score}/{max_score}", "zh": "已评分 {name}：{score}/{max_score}"},
    "summary": {"en": "{count} submission(s) graded in {seconds:.1f} s.", "zh": "共评分 {count} 份提交，用时 {seconds:.1f} 秒。"},
    "csv": {"en": "Gradebook written to {path}", "zh": "成绩册已写入 {path}"},
    "json_dir": {"en": "One results.json per submission in {path}", "zh": "每份提交的 results.json 在 {path}"},
    "gradebook_replay": {
        "en": "To replay exactly this gradebook (or one submission alone): --seed {seed} --start-method {method}",
        "zh": "要原样重现这份成绩册（或单独一份提交）：--seed {seed} --start-method {method}",
    },
})


def note(lang: str, key: str, **values: Any) -> str:
    """The note or line ``key`` of :data:`NOTES` in ``lang``, filled with ``values``."""
    return messages.render(key, values, lang)


def reason(lang: str, key: str, **values: Any) -> str:
    """Why a submission could not be graded: ``key`` of :data:`MESSAGES` in ``lang``."""
    return messages.render(key, values, lang)
