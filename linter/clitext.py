"""Chinese wording for what the standard library and pydantic would say in English: argparse's
usage, headings and errors, common OS errors, and validation errors. Ids stay beside the
Chinese where they are the public interface (option names, rule ids, keys)."""

from __future__ import annotations

import argparse
import difflib
import errno
import re

ARGPARSE_ERRORS = [  # argparse's own messages (Python 3.10–3.13) → Chinese
    (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)", "参数 {0}：无效的取值 {1}（可选：{2}）"),
    (r"argument (\S+): expected one argument", "参数 {0} 需要一个取值"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 至少需要一个取值"),
    (r"argument (\S+): invalid (\w+) value: '?(.*?)'?$", "参数 {0}：{2} 不是有效的{1}值"),
    (r"argument (\S+): ignored explicit argument '?(.*?)'?$", "参数 {0} 不接受取值 {1}"),
    (r"argument (\S+): not allowed with argument (.*)", "参数 {0} 不能与 {1} 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
    (r"argument (\S+): (.*)", "参数 {0}：{1}"),
]
TYPE_NAMES = {"int": "整数", "float": "数"}


def argparse_error(message: str) -> str:
    for pattern, chinese in ARGPARSE_ERRORS:
        m = re.fullmatch(pattern, message.strip(), re.S)
        if m:
            groups = [TYPE_NAMES.get(g, g) if g else "" for g in m.groups()]
            return chinese.format(*groups)
    return message


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors; errors are one line and exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.update(add_help=False, formatter_class=Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        self.exit(2, f"nianbao-lint: 参数错误：{argparse_error(message)}（用 {self.prog} -h 查看用法）\n")


OS_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "操作不被允许",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.EIO: "读写错误",
}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in Chinese where the error is a known one."""
    return OS_ERRORS.get(exc.errno or -1) or exc.strerror or str(exc)


def os_error(exc: OSError) -> str:
    """An OS error in Chinese, naming the file: ``无法读写 X：文件或文件夹不存在``."""
    reason = OS_ERRORS.get(exc.errno or -1) or exc.strerror or str(exc)
    from linter.safetext import shown_path

    name = shown_path(exc.filename) if exc.filename is not None else ""
    return f"无法读写 {name}：{reason}" if name else reason


PYDANTIC = {  # pydantic error types → Chinese; {ctx} fields come from the error's context
    "extra_forbidden": "不认识的设置项",
    "missing": "缺少必需的设置项",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为表（键 = 值）",
    "literal_error": "应为以下之一：{expected}",
    "string_pattern_mismatch": "格式不符，应符合 {pattern}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "model_type": "应为表（键 = 值）",
}


def validation_error(err: dict) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in Chinese."""
    text = PYDANTIC.get(err.get("type", ""))
    if text is None:
        return err.get("msg", "")
    try:
        ctx = {k: str(v).replace(" or ", "、").replace(", ", "、") for k, v in (err.get("ctx") or {}).items()}
        return text.format(**ctx)
    except (KeyError, IndexError):
        return err.get("msg", "")


def nearest(word: str, choices, cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    if not found and word:
        found = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=cutoff)
        if found:
            found = [next(c for c in choices if c.lower() == found[0])]
    return found[0] if found else None
