# This repository's kernel files as the series writes them for trees that
# have kzalloc_obj() (7.2 and later, and Debian's 6.12): kzalloc_obj(*p)
# for kzalloc(sizeof(*p), GFP_KERNEL), as their checkpatch asks (same
# allocation, same flags); sed -E -f.  scripts/kzalloc-sizeof.sed is the
# way back.
s/\bkzalloc\(sizeof\((\*[A-Za-z_][A-Za-z0-9_]*)\), GFP_KERNEL\)/kzalloc_obj(\1)/g
