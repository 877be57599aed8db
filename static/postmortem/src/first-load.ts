import type { PostmortemMacroDefinitions } from '../../../src/contract/postmortem-macro';
import { typedInvoke } from '../../shared/invoke';

/** The macro's typed invoke, in the entry chunk: the first call leaves before the editor's code has loaded. */
export const call = typedInvoke<PostmortemMacroDefinitions>();

/** The one invoke that opens the macro: the document, the viewer's rights, the settings and the items' live state. */
export const loadPostmortem = () => call('loadPostmortem');

export type LoadResult = Awaited<ReturnType<typeof loadPostmortem>>;
