# Backports to trees without kzalloc_obj() (before 7.2): the 7.3 series'
# kzalloc_obj(*p) and kzalloc_objs(*p, n) written as those trees' code
# writes them (same allocations, same flags); sed -E -f.
s/\bkzalloc_obj\((\*[A-Za-z_][A-Za-z0-9_]*)\)/kzalloc(sizeof(\1), GFP_KERNEL)/g
s/\bkzalloc_objs\((\*[A-Za-z_][A-Za-z0-9_]*), ([A-Za-z_][A-Za-z0-9_]*)\)/kcalloc(\2, sizeof(\1), GFP_KERNEL)/g
