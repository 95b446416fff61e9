# The layering of filters/ (filters/CMakeLists.txt declares it), checked on
# the sources as they are:
#   - no source file at the root of filters/;
#   - a file includes only headers of its own module or of a module its
#     module depends on (directly or through others);
#   - nothing in filters/ includes VTK or ParaView;
#   - IO never reaches Eigen, and Numerics never reaches ITK's IO headers,
#     through any chain of the project's own headers.
# Run: cmake -DSOURCE_DIR=<filters> -DLAYERING=<build>/stempdfLayering.cmake -P LayeringTest.cmake
cmake_minimum_required(VERSION 3.16)
include("${LAYERING}")
set(failures "")

file(GLOB root_sources LIST_DIRECTORIES false "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.hxx" "${SOURCE_DIR}/*.cxx")
foreach(file IN LISTS root_sources)
  string(APPEND failures "  ${file}: a source at the root of filters/; put it in a module folder\n")
endforeach()

# Which module every project header belongs to, and what each file includes.
foreach(module IN LISTS STEMPDF_MODULES)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${module}/*.h" "${SOURCE_DIR}/${module}/*.hxx" "${SOURCE_DIR}/${module}/*.cxx")
  set(files_${module} "${files}")
  foreach(file IN LISTS files)
    get_filename_component(name "${file}" NAME)
    set(module_of_${name} "${module}")
    file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    set(included "")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" header "${line}")
      list(APPEND included "${header}")
    endforeach()
    set(includes_${name} "${included}")
  endforeach()
endforeach()

# The items reachable from the list `start`: the start and, for every item
# reached, the items listed in the variable <prefix><file name of the item>
# (none where it is not set), transitively.
function(reachable start prefix out)
  set(seen "")
  set(todo "${start}")
  while(todo)
    list(POP_FRONT todo item)
    if(NOT item IN_LIST seen)
      list(APPEND seen "${item}")
      get_filename_component(name "${item}" NAME)
      list(APPEND todo ${${prefix}${name}})
    endif()
  endwhile()
  set(${out} "${seen}" PARENT_SCOPE)
endfunction()

# The modules each module may use: itself and its dependencies, transitively.
foreach(module IN LISTS STEMPDF_MODULES)
  reachable("${module}" STEMPDF_DEPENDS_ allowed_${module})
endforeach()

foreach(module IN LISTS STEMPDF_MODULES)
  foreach(file IN LISTS files_${module})
    get_filename_component(name "${file}" NAME)
    file(RELATIVE_PATH shown "${SOURCE_DIR}" "${file}")
    foreach(header IN LISTS includes_${name})
      get_filename_component(base "${header}" NAME)
      if(DEFINED module_of_${base} AND NOT module_of_${base} IN_LIST allowed_${module})
        string(APPEND failures "  ${shown} includes ${header} of module ${module_of_${base}}, "
          "which ${module} does not depend on (its dependencies: ${STEMPDF_DEPENDS_${module}})\n")
      endif()
      if(header MATCHES "^(vtk|pq|vtkSM)[A-Za-z0-9_]*\\.h$")
        string(APPEND failures "  ${shown} includes ${header}: filters/ never includes VTK or ParaView\n")
      endif()
    endforeach()
    if(module STREQUAL "IO" OR module STREQUAL "Numerics")
      # Every header it reaches through the project's headers (not through ITK's).
      reachable("${includes_${name}}" includes_ reached)
      foreach(header IN LISTS reached)
        if(module STREQUAL "IO" AND header MATCHES "(^|/)Eigen/")
          string(APPEND failures "  ${shown} reaches ${header}: IO never includes Eigen (ITK's IO headers bundle "
            "an Eigen 3.3 that clashes with the system Eigen 3.4)\n")
        endif()
        if(module STREQUAL "Numerics" AND header MATCHES "^itk(ImageIOBase|ImageIORegion|ImageFileReader|ImageFileWriter|[A-Za-z0-9]*ImageIO(Factory)?)\\.h$")
          string(APPEND failures "  ${shown} reaches ${header}: Numerics never includes ITK's IO headers (they "
            "bundle an Eigen 3.3 that clashes with the system Eigen 3.4)\n")
        endif()
      endforeach()
    endif()
  endforeach()
endforeach()

if(failures)
  message(FATAL_ERROR "The layering of filters/ is broken:\n${failures}")
endif()
list(LENGTH STEMPDF_MODULES count)
message(STATUS "Layering of filters/: ${count} modules, every include allowed")
