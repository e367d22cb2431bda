# Linux 7.2 and later: kzalloc_obj(p) for kzalloc(sizeof(*p), GFP_KERNEL),
# as checkpatch asks there (same allocation, same flags); sed -E -f.
s/\bkzalloc\(sizeof\((\*[A-Za-z_][A-Za-z0-9_]*)\), GFP_KERNEL\)/kzalloc_obj(\1)/g
