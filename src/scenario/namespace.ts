/** The namespace of a namespaced object whose manifest and workload entry name none. */
export const defaultNamespace = "default";
